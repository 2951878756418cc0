package app.signin.web;

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

import app.signin.json.Json;
import app.signin.json.JsonReader;

/**
 * API Gateway HTTP API payload 2.0 on the wire, for every function that Lambda drives as a
 * {@code RequestStreamHandler}: the route's event and the authorizer's event in, the route's response and
 * the authorizer's simple response out. It lives beside {@link HttpRequest} and {@link HttpResponse} because
 * it is the same concern - the HTTP API's shapes - only as bytes; {@code json/} knows JSON, not API Gateway.
 *
 * <p>Why not let the Lambda runtime do it: for a POJO handler the runtime maps the event with its own
 * shaded Jackson - reflection and bean introspection that load some 830 classes and were the largest part
 * of every cold start (BENCHMARKS.md: ~950 fewer classes and cold CPU -22 to -27% for the pages once they
 * read their events here; the authorizer went from 4,769 classes to the figure recorded there). The shapes
 * are small and fixed, so {@link JsonReader} and {@link Json} - one class each - fill and write the same
 * {@link APIGatewayV2HTTPEvent} / {@link APIGatewayV2HTTPResponse} the rest of the code already uses.
 *
 * <p>The authorizer's event (payload 2.0, REQUEST) carries the route's request fields under the same names
 * - headers, cookies, path, query, domain name, request id, route key - so it is read by {@link #readEvent}
 * too, into the type {@link HttpRequest} reads: the cookie and origin rules cannot drift between the pages
 * and the authorizer, and no second event type or copy between the two exists.
 */
public final class HttpApiJson {
    private HttpApiJson() {
    }

    /**
     * Reads a payload 2.0 event - a route's, or an authorizer's (its {@code type}, {@code routeArn} and
     * {@code identitySource} are not read). Of {@code requestContext.authorizer} only {@code lambda} is read:
     * what our authorizer hands to the functions behind it.
     */
    public static APIGatewayV2HTTPEvent readEvent(InputStream in) throws IOException {
        Object root = JsonReader.parse(in.readAllBytes());
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
            if (c.get("authorizer") instanceof Map<?, ?> a && a.get("lambda") instanceof Map<?, ?> lambda) {
                Map<String, Object> values = new LinkedHashMap<>();
                lambda.forEach((k, v) -> values.put((String) k, v));
                context.setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withLambda(values).build());
            }
            event.setRequestContext(context);
        }
        return event;
    }

    /**
     * Writes the response as API Gateway expects it; absent fields are left out. A page's body
     * ({@link PiecedResponse}) is written piece by piece: each constant {@link Fragment} as its JSON form,
     * computed once, and only the values between them escaped here - the same bytes as escaping the whole
     * body, without re-escaping the markup and the 4 KB every page starts with (under C1 that escaping and
     * its UTF-8 encoding were half of a signed-in page's warm cost).
     */
    public static void writeResponse(APIGatewayV2HTTPResponse response, OutputStream out) throws IOException {
        Object[] pieces = response instanceof PiecedResponse p ? p.pieces() : null;
        String body = pieces == null ? response.getBody() : null;
        int escaped = pieces == null ? (body == null ? 0 : body.length()) : PiecedResponse.valuesLength(pieces);
        StringBuilder b = new StringBuilder(512 + escaped + escaped / 4);
        b.append("{\"statusCode\":").append(response.getStatusCode());
        if (response.getHeaders() != null) {
            b.append(",\"headers\":{");
            boolean first = true;
            for (Map.Entry<String, String> h : response.getHeaders().entrySet()) {
                b.append(first ? "" : ",");
                Json.string(b, h.getKey());
                b.append(':');
                Json.string(b, h.getValue());
                first = false;
            }
            b.append('}');
        }
        if (response.getCookies() != null) {
            b.append(",\"cookies\":[");
            for (int i = 0; i < response.getCookies().size(); i++) {
                b.append(i == 0 ? "" : ",");
                Json.string(b, response.getCookies().get(i));
            }
            b.append(']');
        }
        if (pieces != null) {
            b.append(",\"body\":\"");
            for (Object piece : pieces) {
                if (piece instanceof Fragment fragment) {
                    out.write(b.toString().getBytes(StandardCharsets.UTF_8));
                    out.write(fragment.json);
                    b.setLength(0);
                } else {
                    Json.chars(b, (String) piece, 0);
                }
            }
            b.append('"');
        } else if (body != null) {
            b.append(",\"body\":");
            Json.string(b, body);
        }
        b.append(",\"isBase64Encoded\":").append(response.getIsBase64Encoded()).append('}');
        write(b.toString(), out);
    }

    /**
     * A constant piece of page bodies - every page's doctype, head and inline stylesheet, the markup around a
     * page's values - with its JSON string form (escaped by {@link Json#chars}, UTF-8), computed once per
     * container. It neither starts nor ends inside a surrogate pair, and it is never empty, so escaping the
     * pieces one by one gives exactly the bytes of escaping their concatenation.
     */
    static final class Fragment {
        private final String text;
        private final byte[] json;

        Fragment(String text) {
            if (text.isEmpty() || Character.isLowSurrogate(text.charAt(0))
                    || Character.isHighSurrogate(text.charAt(text.length() - 1))) {
                throw new IllegalArgumentException("a body fragment must be non-empty and hold whole surrogate pairs");
            }
            this.text = text;
            StringBuilder escaped = new StringBuilder(text.length() + text.length() / 4);
            Json.chars(escaped, text, 0);
            this.json = escaped.toString().getBytes(StandardCharsets.UTF_8);
        }

        String text() {
            return text;
        }
    }

    /**
     * A response whose body is pieces - {@link Fragment}s and, between them, values (strings) - that
     * {@link HttpResponse}, its only maker, checked; the text is joined only when {@link #getBody()} is asked
     * for it. A body set since ({@link #setBody}) replaces the pieces: it is written whole, as any other.
     */
    static final class PiecedResponse extends APIGatewayV2HTTPResponse {
        private Object[] pieces;

        PiecedResponse(Object[] pieces) {
            this.pieces = pieces;
        }

        /** The pieces, or null once a body was set in their place. */
        Object[] pieces() {
            return pieces;
        }

        @Override
        public String getBody() {
            if (pieces != null && super.getBody() == null) {
                super.setBody(HttpResponse.join(pieces));
            }
            return super.getBody();
        }

        @Override
        public void setBody(String body) {
            pieces = null;
            super.setBody(body);
        }

        static int valuesLength(Object[] pieces) {
            int length = 0;
            for (Object piece : pieces) {
                length += piece instanceof String value ? value.length() : 0;
            }
            return length;
        }
    }

    /** An authorizer's simple response, {@code {"isAuthorized": ..., "context": {...}}}. */
    public static void writeAuthorizerResponse(boolean authorized, Map<String, ?> context, OutputStream out)
            throws IOException {
        write(Json.object().put("isAuthorized", authorized).put("context", context).toString(), out);
    }

    private static void write(String json, OutputStream out) throws IOException {
        out.write(json.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

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

    /**
     * An object of strings as it is (the reader's own fresh map, its names are strings), or a copy without
     * its non-string members: the copy of every header map cost microseconds per request under C1.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, String> stringMap(Object v) {
        if (!(v instanceof Map<?, ?> map)) {
            return null;
        }
        boolean allStrings = true;
        for (Object val : map.values()) {
            allStrings &= val instanceof String;
        }
        if (allStrings) {
            return (Map<String, String>) map;
        }
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, val) -> {
            if (val instanceof String s) {
                out.put((String) k, s);
            }
        });
        return out;
    }
}
