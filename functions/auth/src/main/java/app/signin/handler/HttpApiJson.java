package app.signin.handler;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

/**
 * API Gateway HTTP API payload 2.0, read and written by hand.
 *
 * <p>Why not let the Lambda runtime do it: for a POJO handler the runtime maps the event with its own
 * shaded Jackson - reflection and bean introspection that load some 800 classes and cost a large part of
 * every cold start (see BENCHMARKS.md). The event's shape is small and fixed, so a plain recursive-descent
 * reader over the bytes, filling the same {@link APIGatewayV2HTTPEvent} the rest of the code already uses,
 * does the job with nothing to load. The input comes from API Gateway through the runtime, never straight
 * from a client; still, the reader bounds nesting and refuses anything that is not JSON.
 */
final class HttpApiJson {
    /** API Gateway's payloads nest four levels deep; anything far deeper is not an event. */
    private static final int MAX_DEPTH = 16;

    private HttpApiJson() {
    }

    /** Reads a payload 2.0 event. Fields this service does not use (authorizer, ...) are skipped. */
    static APIGatewayV2HTTPEvent readEvent(InputStream in) throws IOException {
        Object root = new Reader(in.readAllBytes()).document();
        if (!(root instanceof Map<?, ?> e)) {
            throw new IOException("event is not a JSON object");
        }
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion(string(e.get("version")));
        event.setRouteKey(string(e.get("routeKey")));
        event.setRawPath(string(e.get("rawPath")));
        event.setRawQueryString(string(e.get("rawQueryString")));
        event.setCookies(strings(e.get("cookies")));
        event.setHeaders(stringMap(e.get("headers")));
        event.setQueryStringParameters(stringMap(e.get("queryStringParameters")));
        event.setPathParameters(stringMap(e.get("pathParameters")));
        event.setStageVariables(stringMap(e.get("stageVariables")));
        event.setBody(string(e.get("body")));
        event.setIsBase64Encoded(Boolean.TRUE.equals(e.get("isBase64Encoded")));
        if (e.get("requestContext") instanceof Map<?, ?> c) {
            APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
            context.setRouteKey(string(c.get("routeKey")));
            context.setAccountId(string(c.get("accountId")));
            context.setStage(string(c.get("stage")));
            context.setApiId(string(c.get("apiId")));
            context.setDomainName(string(c.get("domainName")));
            context.setDomainPrefix(string(c.get("domainPrefix")));
            context.setTime(string(c.get("time")));
            context.setRequestId(string(c.get("requestId")));
            if (c.get("timeEpoch") instanceof Number n) {
                context.setTimeEpoch(n.longValue());
            }
            if (c.get("http") instanceof Map<?, ?> h) {
                APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
                http.setMethod(string(h.get("method")));
                http.setPath(string(h.get("path")));
                http.setProtocol(string(h.get("protocol")));
                http.setSourceIp(string(h.get("sourceIp")));
                http.setUserAgent(string(h.get("userAgent")));
                context.setHttp(http);
            }
            event.setRequestContext(context);
        }
        return event;
    }

    /** Writes the response as API Gateway expects it; absent fields are left out. */
    static void writeResponse(APIGatewayV2HTTPResponse response, OutputStream out) throws IOException {
        StringBuilder b = new StringBuilder(512 + (response.getBody() == null ? 0 : response.getBody().length()));
        b.append("{\"statusCode\":").append(response.getStatusCode());
        if (response.getHeaders() != null) {
            b.append(",\"headers\":{");
            boolean first = true;
            for (Map.Entry<String, String> h : response.getHeaders().entrySet()) {
                b.append(first ? "" : ",");
                quote(b, h.getKey()).append(':');
                quote(b, h.getValue());
                first = false;
            }
            b.append('}');
        }
        if (response.getCookies() != null) {
            b.append(",\"cookies\":[");
            for (int i = 0; i < response.getCookies().size(); i++) {
                b.append(i == 0 ? "" : ",");
                quote(b, response.getCookies().get(i));
            }
            b.append(']');
        }
        if (response.getBody() != null) {
            b.append(",\"body\":");
            quote(b, response.getBody());
        }
        b.append(",\"isBase64Encoded\":").append(response.getIsBase64Encoded()).append('}');
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static StringBuilder quote(StringBuilder b, String s) {
        if (s == null) {
            return b.append("null");
        }
        b.append('"');
        // Runs of characters that need no escape are copied in one append: pages are kilobytes of HTML.
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && c != '\u2028' && c != '\u2029') {
                continue;
            }
            b.append(s, run, i);
            run = i + 1;
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                        .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
            }
        }
        return b.append(s, run, s.length()).append('"');
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static String string(Object v) {
        return v instanceof String s ? s : null;
    }

    private static List<String> strings(Object v) {
        if (!(v instanceof List<?> list)) {
            return null;
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (o instanceof String s) {
                out.add(s);
            }
        }
        return out;
    }

    private static Map<String, String> stringMap(Object v) {
        if (!(v instanceof Map<?, ?> map)) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, val) -> {
            if (val instanceof String s) {
                out.put((String) k, s);
            }
        });
        return out;
    }

    /** RFC 8259 JSON to Map / List / String / Long / Double / Boolean / null. */
    private static final class Reader {
        private final byte[] in;
        private int pos;

        Reader(byte[] in) {
            this.in = in;
        }

        Object document() throws IOException {
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

        private String string() throws IOException {
            pos++; // opening quote
            int start = pos;
            // Fast path: no escapes - decode the UTF-8 slice directly.
            while (pos < in.length && in[pos] != '"' && in[pos] != '\\') {
                if ((in[pos] & 0xFF) < 0x20) {
                    throw error("control character in string");
                }
                pos++;
            }
            if (pos < in.length && in[pos] == '"') {
                return new String(in, start, pos++ - start, StandardCharsets.UTF_8);
            }
            ByteArrayOutputStream utf8 = new ByteArrayOutputStream(pos - start + 16);
            utf8.write(in, start, pos - start);
            while (true) {
                int c = next();
                if (c == '"') {
                    return utf8.toString(StandardCharsets.UTF_8);
                }
                if (c < 0x20) {
                    throw error("control character in string");
                }
                if (c != '\\') {
                    utf8.write(c);
                    continue;
                }
                int e = next();
                switch (e) {
                    case '"', '\\', '/' -> utf8.write(e);
                    case 'b' -> utf8.write('\b');
                    case 'f' -> utf8.write('\f');
                    case 'n' -> utf8.write('\n');
                    case 'r' -> utf8.write('\r');
                    case 't' -> utf8.write('\t');
                    case 'u' -> {
                        char ch = (char) hex4();
                        StringBuilder chars = new StringBuilder(2).append(ch);
                        // A surrogate pair arrives as two escapes; encode the pair, not two halves.
                        if (Character.isHighSurrogate(ch) && pos + 1 < in.length && in[pos] == '\\' && in[pos + 1] == 'u') {
                            pos += 2;
                            chars.append((char) hex4());
                        }
                        utf8.writeBytes(chars.toString().getBytes(StandardCharsets.UTF_8));
                    }
                    default -> throw error("bad escape");
                }
            }
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
                return integral ? (Object) Long.parseLong(text) : (Object) Double.parseDouble(text);
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
            while (pos < in.length && (in[pos] == ' ' || in[pos] == '\n' || in[pos] == '\r' || in[pos] == '\t')) {
                pos++;
            }
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
            return new IOException("malformed event JSON at byte " + pos + ": " + what);
        }
    }
}
