package app.signin.json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 8259 JSON to {@code Map} / {@code List} / {@code String} / {@code Long} / {@code Double} /
 * {@code Boolean} / {@code null}: the one JSON reader, for the Lambda events (see
 * {@link app.signin.web.HttpApiJson}).
 *
 * <p>Hand-written, not a library, because of what it costs on a cold start: the runtime's Jackson mapping
 * of an event loads ~830 classes and was the largest single item of every handler's cold start (stream
 * handlers with this reader: ~950 fewer classes, cold CPU -22 to -27%, BENCHMARKS.md "Handlers as
 * RequestStreamHandlers"). This class is one class. jackson-jr would be the library to take if it had to
 * grow; Nimbus's json-smart (already in the package) is not on the pages' cold path and brings ~80 classes.
 * The input comes from API Gateway through the runtime, never straight from a client; still, nesting is
 * bounded and anything that is not JSON is refused.
 */
public final class JsonReader {
    /** API Gateway's payloads nest four levels deep; anything far deeper is not an event. */
    static final int MAX_DEPTH = 16;

    private final byte[] in;
    private int pos;

    private JsonReader(byte[] in) {
        this.in = in;
    }

    /**
     * Parses one JSON text. Objects keep their member order; numbers without a fraction or exponent are
     * {@code Long}, others {@code Double}.
     *
     * @throws IOException when the input is not exactly one JSON value, or nests deeper than {@link #MAX_DEPTH}
     */
    public static Object parse(byte[] json) throws IOException {
        return new JsonReader(json).document();
    }

    private Object document() throws IOException {
        Object v = value(0);
        skipSpace();
        if (pos != in.length) {
            throw error("trailing data");
        }
        return v;
    }

    private Object value(int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw error("nested too deeply");
        }
        skipSpace();
        if (pos >= in.length) {
            throw error("unexpected end");
        }
        return switch (in[pos]) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Map<String, Object> object(int depth) throws IOException {
        pos++; // {
        Map<String, Object> map = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("expected a member name");
            }
            String name = string();
            skipSpace();
            expect(':');
            map.put(name, value(depth + 1));
            skipSpace();
            int c = next();
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                throw error("expected , or }");
            }
        }
    }

    private List<Object> array(int depth) throws IOException {
        pos++; // [
        List<Object> list = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            list.add(value(depth + 1));
            skipSpace();
            int c = next();
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                throw error("expected , or ]");
            }
        }
    }

    /*
     * The scanning loops below keep the position in a local and write the field back only when they stop:
     * under C1 (Lambda's on-demand JIT, and the template's) a field is read and written on every byte, and
     * the event's strings are most of its 1-2 KB.
     */
    private String string() throws IOException {
        byte[] b = in;
        int n = b.length;
        int p = pos + 1; // after the opening quote
        StringBuilder out = null;
        int run = p; // start of the bytes not yet decoded
        boolean ascii = true;
        while (true) {
            if (p >= n) {
                pos = p;
                throw error("unexpected end");
            }
            int c = b[p];
            if (c >= 0x20 && c != '"' && c != '\\') {
                p++; // printable ASCII: by far the common case
                continue;
            }
            if (c < 0) {
                ascii = false; // part of a UTF-8 sequence, decoded with its run
                p++;
                continue;
            }
            if (c == '"') {
                String tail = decode(b, run, p - run, ascii);
                pos = p + 1;
                return out == null ? tail : out.append(tail).toString(); // no escapes: one decode, no copy
            }
            if (c < 0x20) {
                pos = p;
                throw error("control character in string");
            }
            // A backslash. Raw runs are decoded as UTF-8; escapes append their char, so an escaped unpaired
            // surrogate survives as itself (a byte buffer would have turned it into '?').
            if (out == null) {
                out = new StringBuilder(p - run + 16);
            }
            out.append(decode(b, run, p - run, ascii));
            ascii = true;
            pos = p + 1;
            int e = next();
            switch (e) {
                case '"', '\\', '/' -> out.append((char) e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append((char) hex4());
                default -> throw error("bad escape");
            }
            p = pos;
            run = p;
        }
    }

    /** ASCII needs no UTF-8 decoding (a second pass over the bytes under C1): it is copied as it is. */
    private static String decode(byte[] b, int from, int length, boolean ascii) {
        return new String(b, from, length, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    private int hex4() throws IOException {
        if (pos + 4 > in.length) {
            throw error("short \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(in[pos++], 16);
            if (d < 0) {
                throw error("bad \\u escape");
            }
            v = v << 4 | d;
        }
        return v;
    }

    private Object number() throws IOException {
        int start = pos;
        boolean integral = true;
        while (pos < in.length) {
            int c = in[pos];
            if (c >= '0' && c <= '9' || c == '-' || c == '+') {
                pos++;
            } else if (c == '.' || c == 'e' || c == 'E') {
                integral = false;
                pos++;
            } else {
                break;
            }
        }
        String text = new String(in, start, pos - start, StandardCharsets.US_ASCII);
        try {
            if (integral) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException tooLong) {
                    // JSON sets no limit on an integer's size; one past a long is still a number.
                    return Double.parseDouble(text);
                }
            }
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw error("bad number");
        }
    }

    private Object literal(String word, Object value) throws IOException {
        for (int i = 0; i < word.length(); i++) {
            if (pos >= in.length || in[pos++] != word.charAt(i)) {
                throw error("bad literal");
            }
        }
        return value;
    }

    private void skipSpace() {
        byte[] b = in;
        int p = pos;
        while (p < b.length && (b[p] == ' ' || b[p] == '\n' || b[p] == '\r' || b[p] == '\t')) {
            p++;
        }
        pos = p;
    }

    private int peek() throws IOException {
        if (pos >= in.length) {
            throw error("unexpected end");
        }
        return in[pos];
    }

    private int next() throws IOException {
        if (pos >= in.length) {
            throw error("unexpected end");
        }
        return in[pos++] & 0xFF;
    }

    private void expect(char c) throws IOException {
        if (next() != c) {
            throw error("expected " + c);
        }
    }

    private IOException error(String what) {
        return new IOException("malformed JSON at byte " + pos + ": " + what);
    }
}
