package app.signin.log;

import java.io.PrintStream;
import java.time.Instant;

/**
 * One JSON object per line on stdout, the shape Lambda's JSON log format and CloudWatch Logs Insights
 * read directly. Callers pass only identifiers and reason codes: never tokens, codes, cookies or secrets.
 */
public final class Log {
    private final PrintStream out;

    public Log(PrintStream out) {
        this.out = out;
    }

    public static Log stdout() {
        return new Log(System.out);
    }

    /** One request's outcome: {@code reason} is null on success. */
    public void request(String handler, String requestId, int status, String outcome, String reason, String detail) {
        StringBuilder b = new StringBuilder(192);
        b.append("{\"timestamp\":\"").append(Instant.now()).append('"');
        field(b, "level", status >= 500 ? "ERROR" : reason != null ? "WARN" : "INFO");
        field(b, "requestId", requestId);
        field(b, "handler", handler);
        b.append(",\"status\":").append(status);
        field(b, "outcome", outcome);
        if (reason != null) {
            field(b, "reason", reason);
        }
        if (detail != null) {
            field(b, "message", detail);
        }
        b.append('}');
        out.println(b);
    }

    public void info(String message) {
        StringBuilder b = new StringBuilder(96);
        b.append("{\"timestamp\":\"").append(Instant.now()).append('"');
        field(b, "level", "INFO");
        field(b, "message", message);
        b.append('}');
        out.println(b);
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append(",\"").append(name).append("\":\"");
        escape(b, value == null ? "" : value);
        b.append('"');
    }

    static void escape(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
    }
}
