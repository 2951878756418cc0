package app.signin.json;

import java.util.Map;

/**
 * The one JSON writer, hand-written, for the few small documents this service emits: log lines, metric
 * lines, API bodies, the Lambda responses ({@link app.signin.web.HttpApiJson}). Every string goes through
 * one escaper ({@link #string}), so a value can never break out of its quotes. Hand-written for the same
 * cold-start reason as {@link JsonReader}: no reflection and no mapping library on the request path.
 *
 * <p>A {@code Json} is for one thread, as the {@link StringBuilder} it wraps is: even {@link #toString}
 * changes it for a moment.
 */
public final class Json {
    private final StringBuilder b;
    private boolean empty = true;

    private Json(int capacity) {
        b = new StringBuilder(capacity).append('{');
    }

    /** A log line is 150-250 characters: room for one without growing. */
    public static Json object() {
        return new Json(256);
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

    /**
     * A nested object of string, whole-number and boolean members, in the map's order (an authorizer's
     * context); a null value is written as JSON {@code null}.
     */
    public Json put(String name, Map<String, ?> members) {
        Json nested = new Json(64 + 32 * members.size());
        members.forEach((k, v) -> {
            switch (v) {
                case null -> nested.put(k, (String) null);
                case String string -> nested.put(k, string);
                case Boolean bool -> nested.put(k, bool.booleanValue());
                case Long number -> nested.put(k, number.longValue());
                case Integer number -> nested.put(k, number.longValue());
                default -> throw new IllegalArgumentException("not a string, whole number or boolean: " + k);
            }
        });
        return putRaw(name, nested.toString());
    }

    /** A member whose value is already JSON (a nested object or array written by this class). */
    public Json putRaw(String name, String json) {
        name(name).append(json);
        return this;
    }

    @Override
    public String toString() {
        // One copy of the text, not two (b + "}" copies the builder, then the concatenation): the closing
        // brace is appended for the copy and taken off again, so a Json is never read by two threads at once.
        String json = b.append('}').toString();
        b.setLength(b.length() - 1);
        return json;
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
     * Appends {@code s} as a quoted JSON string - the one escaper, for log lines, API bodies and the Lambda
     * responses alike. RFC 8259 requires the quote, the backslash and U+0000-U+001F to be escaped (the short
     * forms where they exist); besides that:
     * <ul>
     * <li>{@code <}, {@code >}, {@code &} are written as {@code \\u} escapes, so a body sniffed as HTML carries no
     * markup (defence in depth behind {@code nosniff});</li>
     * <li>U+007F, U+2028 and U+2029 are escaped: valid JSON as they are, but not valid in older JavaScript
     * string literals, and invisible in a log viewer;</li>
     * <li>an unpaired surrogate is escaped: it has no UTF-8 form, so written raw it would turn into
     * {@code ?} on encoding; escaped, the JSON text stays valid UTF-8 and a reader gets the same string back.
     * A surrogate pair (any character above U+FFFF) is written as it is.</li>
     * </ul>
     * Runs of characters that need no escape are copied in one append: response bodies are kilobytes of HTML.
     * A null {@code s} is written as JSON {@code null}.
     */
    public static void string(StringBuilder out, String s) {
        if (s == null) {
            out.append("null");
            return;
        }
        out.append('"');
        chars(out, s, 0);
        out.append('"');
    }

    /**
     * Appends {@code s} from index {@code from} on, escaped as {@link #string} escapes it but without the
     * quotes: so that a constant leading part of a string can be escaped once and the rest per use
     * ({@link app.signin.web.HttpApiJson}'s page bodies). The two parts give exactly the bytes of the
     * whole as long as {@code from} does not split a surrogate pair.
     */
    public static void chars(StringBuilder out, String s, int from) {
        int run = from;
        int n = s.length();
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80 ? PLAIN[c] : !Character.isSurrogate(c) && c != '\u2028' && c != '\u2029') {
                continue; // printable ASCII but the five above (by far the common case), other non-ASCII as is
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++; // a pair: written as is
                continue;
            }
            out.append(s, run, i);
            run = i + 1;
            if (c < 0x80) {
                out.append(ASCII_ESCAPES[c]); // one append, not six: a page has hundreds of < and >
            } else {
                escape(out, c);
            }
        }
        out.append(s, run, n);
    }

    private static void escape(StringBuilder out, char c) {
        switch (c) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case '\b' -> out.append("\\b");
            case '\f' -> out.append("\\f");
            default -> out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                    .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** The ASCII characters written as they are: printable, but not {@code " \\ < > &}. One load per character. */
    private static final boolean[] PLAIN = new boolean[0x80];
    /** The escape of every other ASCII character, as {@link #escape} writes it. */
    private static final String[] ASCII_ESCAPES = new String[0x80];

    static {
        for (char c = 0; c < 0x80; c++) {
            PLAIN[c] = c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&';
            if (!PLAIN[c]) {
                StringBuilder escape = new StringBuilder(6);
                escape(escape, c);
                ASCII_ESCAPES[c] = escape.toString();
            }
        }
    }

    public static String string(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        string(out, s);
        return out.toString();
    }
}
