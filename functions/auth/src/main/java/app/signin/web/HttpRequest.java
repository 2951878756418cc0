package app.signin.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

import app.signin.error.Failure;
import app.signin.error.SignInException;

/**
 * A read-only view of an API Gateway HTTP API (payload 2.0) event with the parsing the handlers share:
 * query parameters (repeats detected, not comma-joined), cookies, headers, the form body.
 */
public final class HttpRequest {
    /** Above this a query string or body is refused: nothing we accept is anywhere near it. */
    static final int MAX_INPUT = 8 * 1024;

    private final APIGatewayV2HTTPEvent event;
    private Map<String, List<String>> query;
    private Map<String, List<String>> cookies;

    public HttpRequest(APIGatewayV2HTTPEvent event) {
        this.event = event;
    }

    public String requestId() {
        var ctx = event.getRequestContext();
        String id = ctx == null ? null : ctx.getRequestId();
        return id == null || id.isEmpty() ? "-" : requestIdChars(id);
    }

    /**
     * {@code id} without any character outside {@code [A-Za-z0-9=._-]} (API Gateway's ids never have one):
     * a loop, not a regex replace - requestId() is asked for on every request, and under C1 the regex was
     * a measurable part of a warm one.
     */
    static String requestIdChars(String id) {
        StringBuilder kept = null;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '='
                    || c == '.' || c == '_' || c == '-';
            if (!ok && kept == null) {
                kept = new StringBuilder(id.length()).append(id, 0, i);
            } else if (ok && kept != null) {
                kept.append(c);
            }
        }
        return kept == null ? id : kept.toString();
    }

    public String method() {
        var ctx = event.getRequestContext();
        if (ctx != null && ctx.getHttp() != null && ctx.getHttp().getMethod() != null) {
            return ctx.getHttp().getMethod().toUpperCase(Locale.ROOT);
        }
        return "GET";
    }

    /**
     * The route API Gateway matched ({@code "GET /api/me"}), which a client cannot choose; empty when the
     * event carries none.
     */
    public String routeKey() {
        String key = event.getRouteKey();
        if (key == null && event.getRequestContext() != null) {
            key = event.getRequestContext().getRouteKey();
        }
        return key == null ? "" : key;
    }

    public String path() {
        return event.getRawPath() == null ? "/" : event.getRawPath();
    }

    /** True for {@code /api} and every path under it: a script's request, answered in JSON - never a page. */
    public boolean isApi() {
        return path().equals("/api") || path().startsWith("/api/");
    }

    /** The query string exactly as sent, without the {@code ?}; empty when there is none. */
    public String rawQuery() {
        return event.getRawQueryString() == null ? "" : event.getRawQueryString();
    }

    /** A stage variable of the API the request came through, as API Gateway passes it to the function and the authorizer. */
    public Optional<String> stageVariable(String name) {
        Map<String, String> variables = event.getStageVariables();
        return variables == null ? Optional.empty() : Optional.ofNullable(variables.get(name));
    }

    /** API Gateway's own domain name for this request - the only host we derive URLs from. */
    public Optional<String> domainName() {
        var ctx = event.getRequestContext();
        return Optional.ofNullable(ctx == null ? null : ctx.getDomainName()).filter(s -> !s.isEmpty());
    }

    /** A header by case-insensitive name (payload 2.0 lower-cases names; repeats are comma-joined). */
    public Optional<String> header(String name) {
        Map<String, String> headers = event.getHeaders();
        if (headers == null) {
            return Optional.empty();
        }
        String v = headers.get(name.toLowerCase(Locale.ROOT));
        if (v == null) {
            for (Map.Entry<String, String> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    v = e.getValue();
                    break;
                }
            }
        }
        return Optional.ofNullable(v);
    }

    /**
     * The single value of a query parameter. A parameter given twice is refused: API Gateway would
     * comma-join the values, and a duplicated {@code state} or {@code code} is an attack, not a typo.
     */
    public Optional<String> queryParam(String name) {
        List<String> values = query().getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw new SignInException(Failure.BAD_REQUEST, "query parameter " + name + " repeated");
        }
        return values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** All values of the cookie with this exact name (a browser may send duplicates). */
    public List<String> cookies(String name) {
        return cookieMap().getOrDefault(name, List.of());
    }

    /** The names of every cookie sent, for prefix look-ups. */
    public Iterable<String> cookieNames() {
        return cookieMap().keySet();
    }

    /** The body's {@code application/x-www-form-urlencoded} fields (empty for other content types). */
    public Map<String, List<String>> form() {
        String type = header("content-type").orElse("").toLowerCase(Locale.ROOT);
        String body = event.getBody();
        if (body == null || !type.startsWith("application/x-www-form-urlencoded")) {
            return Map.of();
        }
        if (event.getIsBase64Encoded()) {
            try {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new SignInException(Failure.BAD_REQUEST, "body is not valid base64");
            }
        }
        return parseForm(body);
    }

    /** The single value of a form field; none when it is absent or sent more than once (then it is no one answer). */
    public Optional<String> formField(String name) {
        List<String> values = form().get(name);
        return values == null || values.size() != 1 ? Optional.empty() : Optional.of(values.getFirst());
    }

    private Map<String, List<String>> query() {
        if (query == null) {
            String raw = event.getRawQueryString();
            if (raw != null && !raw.isEmpty()) {
                query = parseForm(raw);
            } else if (event.getQueryStringParameters() != null) {
                Map<String, List<String>> q = new LinkedHashMap<>();
                event.getQueryStringParameters().forEach((k, v) -> q.put(k, List.of(v)));
                query = q;
            } else {
                query = Map.of();
            }
        }
        return query;
    }

    private Map<String, List<String>> cookieMap() {
        if (cookies == null) {
            List<String> pairs = new ArrayList<>();
            if (event.getCookies() != null) {
                pairs.addAll(event.getCookies());
            } else {
                header("cookie").ifPresent(h -> pairs.addAll(List.of(h.split(";"))));
            }
            Map<String, List<String>> map = new LinkedHashMap<>();
            for (String pair : pairs) {
                for (String p : pair.split(";")) {
                    int eq = p.indexOf('=');
                    if (eq <= 0) {
                        continue;
                    }
                    String name = p.substring(0, eq).strip();
                    String value = p.substring(eq + 1).strip();
                    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                        value = value.substring(1, value.length() - 1);
                    }
                    map.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                }
            }
            cookies = map;
        }
        return cookies;
    }

    static Map<String, List<String>> parseForm(String raw) {
        if (raw.length() > MAX_INPUT) {
            throw new SignInException(Failure.BAD_REQUEST, "query or body too long");
        }
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            map.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return map;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new SignInException(Failure.BAD_REQUEST, "malformed percent-encoding");
        }
    }
}
