package app.signin.json;

/**
 * A hand-written JSON object writer for the few flat documents this service emits: log lines, metric
 * lines, API bodies. No reflection and no mapping library on the request path, and every string goes
 * through one escaper, so a value can never break out of its quotes.
 */
public final class Json {
    private final StringBuilder b;
    private boolean empty = true;

    private Json(int capacity) {
        b = new StringBuilder(capacity).append('{');
    }

    public static Json object() {
        return new Json(128);
    }

    /** A string member; a null value is written as JSON {@code null}. */
    public Json put(String name, String value) {
        name(name);
        if (value == null) {
            b.append("null");
        } else {
            string(b, value);
        }
        return this;
    }

    public Json put(String name, long value) {
        name(name).append(value);
        return this;
    }

    public Json put(String name, boolean value) {
        name(name).append(value);
        return this;
    }

    /** A member whose value is already JSON (a nested object or array written by this class). */
    public Json putRaw(String name, String json) {
        name(name).append(json);
        return this;
    }

    @Override
    public String toString() {
        return b + "}";
    }

    private StringBuilder name(String name) {
        if (!empty) {
            b.append(',');
        }
        empty = false;
        string(b, name);
        return b.append(':');
    }

    /** A JSON array of strings. */
    public static String array(Iterable<String> values) {
        StringBuilder out = new StringBuilder().append('[');
        boolean first = true;
        for (String v : values) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(out, v);
        }
        return out.append(']').toString();
    }

    /**
     * Appends {@code s} as a quoted JSON string. Besides what RFC 8259 requires ({@code "}, {@code \}, control
     * characters), {@code <}, {@code >} and {@code &} are escaped so a body sniffed as HTML carries no markup,
     * and unpaired surrogates are escaped so the output is always valid UTF-8.
     */
    public static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&' -> unicode(out, c);
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        unicode(out, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        unicode(out, c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    public static String string(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        string(out, s);
        return out.toString();
    }

    private static void unicode(StringBuilder out, char c) {
        out.append("\\u");
        String hex = Integer.toHexString(c);
        out.append("0".repeat(4 - hex.length())).append(hex);
    }
}
