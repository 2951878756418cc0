package app.signin.log;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import app.signin.json.Json;

/**
 * One JSON object per line on stdout, the shape of Lambda's JSON log format ({@code timestamp},
 * {@code level}, {@code message}) plus our fields, which CloudWatch Logs Insights reads directly. Lambda
 * passes lines that are already JSON through unchanged, which is also what lets {@link Metrics} lines
 * (embedded metric format) reach CloudWatch as metrics.
 *
 * <p>Our fields: {@code requestId} (API Gateway's request id, the one error pages show), {@code handler},
 * {@code status}, {@code outcome} ({@code ok}, {@code rejected}, {@code error}; {@code allow} or
 * {@code deny} for the authorizer) and, on failures, {@code reason} (a {@code Failure} reason code such as
 * {@code state_mismatch}). Callers pass only identifiers and reason codes: never tokens, codes, cookies,
 * secrets, verifiers, nonces or states.
 */
public final class Log {
    private final PrintStream out;
    /** Whether {@link #write} may encode a line itself: see {@link #encodesLineByLine}. */
    private final boolean ownEncoding;

    public Log(PrintStream out) {
        this.out = out;
        this.ownEncoding = encodesLineByLine(out.charset());
    }

    /**
     * Whether encoding each line on its own gives the bytes the stream's encoder would: true for charsets
     * whose encoder keeps no state between writes and writes no byte-order mark - UTF-8 (Lambda's stdout),
     * US-ASCII, ISO-8859-1. Not for UTF-16 and the like: {@code getBytes} would start every line with a
     * byte-order mark the stream writes once.
     */
    static boolean encodesLineByLine(Charset charset) {
        return charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.US_ASCII)
                || charset.equals(StandardCharsets.ISO_8859_1);
    }

    public static Log stdout() {
        return new Log(System.out);
    }

    /** A log that writes nowhere: for SnapStart priming's requests, which are no one's. */
    public static Log discard() {
        return new Log(new PrintStream(java.io.OutputStream.nullOutputStream()));
    }

    /** One request's outcome: {@code reason} is null on success, {@code detail} a safe log-only explanation. */
    public void request(Function handler, String requestId, int status, String outcome, String reason, String detail) {
        Json line = start(status >= 500 ? "ERROR" : reason != null ? "WARN" : "INFO",
                detail != null ? detail : handler.label() + " " + outcome);
        line.put("requestId", requestId).put("handler", handler.label()).put("status", status).put("outcome", outcome);
        if (reason != null) {
            line.put("reason", reason);
        }
        write(line.toString());
    }

    /**
     * One authorizer decision. There is no status of our own: API Gateway answers a deny with its 403, an
     * allow by calling the route's function.
     */
    public void authorization(String requestId, String routeKey, String outcome, String reason, String detail) {
        // "Not signed in" is an answer, not a problem; a store or code failure is.
        boolean failure = "store_unavailable".equals(reason) || "internal_error".equals(reason);
        Json line = start(failure ? "ERROR" : "INFO", detail != null ? detail : "authorizer " + outcome);
        line.put("requestId", requestId).put("handler", Function.AUTHORIZER.label()).put("route", routeKey).put("outcome", outcome);
        if (reason != null) {
            line.put("reason", reason);
        }
        write(line.toString());
    }

    public void info(String message) {
        write(start("INFO", message).toString());
    }

    /** For failures outside any request, such as a configuration that does not load. */
    /**
     * Where an unexpected exception happened, for the log: its type and top frame, never its message,
     * which may quote request input or a secret.
     */
    public static String describeUnexpected(Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        return e.getClass().getName() + (trace.length == 0 ? "" : " at " + trace[0]);
    }

    public void error(String message) {
        write(start("ERROR", message).toString());
    }

    /** Writes one complete JSON line (used by {@link Metrics}). */
    void write(String jsonLine) {
        // The bytes println would write, in the one write println makes, without its char encoder (under C1
        // a measurable part of a warm authorizer call): the line is encoded in the stream's own charset.
        // Any other charset goes through println itself.
        if (ownEncoding) {
            out.writeBytes((jsonLine + LINE_END).getBytes(out.charset()));
        } else {
            out.println(jsonLine);
        }
    }

    private static final String LINE_END = System.lineSeparator();

    /** The second {@link #timestamp} wrote last, formatted up to the seconds: lines come many to a second. */
    private static volatile Second lastSecond = new Second(Long.MIN_VALUE, "");

    private record Second(long epochSecond, String text) {
    }

    /**
     * {@code instant} truncated to milliseconds, exactly as {@link Instant#toString} writes that (ISO-8601
     * UTC, the fraction only when it is not zero). Date and time of day come from the JDK's formatter once
     * per second; each line appends only its milliseconds - the formatter cost microseconds per log line
     * under C1.
     */
    static String timestamp(Instant instant) {
        long epochSecond = instant.getEpochSecond();
        Second second = lastSecond;
        if (second.epochSecond() != epochSecond) {
            String whole = Instant.ofEpochSecond(epochSecond).toString();
            if (whole.length() != 20) {
                return instant.truncatedTo(ChronoUnit.MILLIS).toString(); // a year outside 0000-9999
            }
            second = new Second(epochSecond, whole.substring(0, 19));
            lastSecond = second;
        }
        int millis = instant.getNano() / 1_000_000;
        if (millis == 0) {
            return second.text() + "Z";
        }
        return second.text() + "." + (char) ('0' + millis / 100) + (char) ('0' + millis / 10 % 10)
                + (char) ('0' + millis % 10) + "Z";
    }

    private static Json start(String level, String message) {
        return Json.object()
                .put("timestamp", timestamp(Instant.now()))
                .put("level", level)
                .put("message", message);
    }
}
