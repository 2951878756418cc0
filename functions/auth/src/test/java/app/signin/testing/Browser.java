package app.signin.testing;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

/**
 * A minimal browser over the four handlers: a cookie jar that honours {@code Set-Cookie} (including
 * deletion by {@code Max-Age=0}), and requests built as API Gateway payload 2.0 events.
 */
public final class Browser {
    public static final String DOMAIN = "abc123.execute-api.eu-west-1.amazonaws.com";

    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> routes;

    public Browser(Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> routes) {
        this.routes = routes;
    }

    public Map<String, String> cookies() {
        return cookies;
    }

    public APIGatewayV2HTTPResponse get(String pathAndQuery) {
        return send("GET", pathAndQuery, Map.of(), null);
    }

    /** A same-origin form POST, as a browser submits it from our own page. */
    public APIGatewayV2HTTPResponse post(String path, Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(enc(k)).append('=').append(enc(v)));
        return send("POST", path, Map.of("content-type", "application/x-www-form-urlencoded",
                "origin", "https://" + DOMAIN, "sec-fetch-site", "same-origin"), body.toString());
    }

    public APIGatewayV2HTTPResponse send(String method, String pathAndQuery, Map<String, String> headers, String body) {
        APIGatewayV2HTTPEvent event = event(method, pathAndQuery, headers, body, cookieList());
        String path = event.getRawPath();
        var handler = routes.get(path);
        if (handler == null) {
            throw new IllegalArgumentException("no route for " + path);
        }
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        if (response.getCookies() != null) {
            response.getCookies().forEach(this::apply);
        }
        return response;
    }

    /** Follows a redirect that points back at this site (absolute URL on our origin or a path). */
    public APIGatewayV2HTTPResponse follow(APIGatewayV2HTTPResponse redirect) {
        String location = redirect.getHeaders().get("location");
        URI uri = URI.create(location);
        String pq = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return get(pq);
    }

    public List<String> cookieList() {
        List<String> list = new ArrayList<>();
        cookies.forEach((k, v) -> list.add(k + "=" + v));
        return list;
    }

    public static APIGatewayV2HTTPEvent event(String method, String pathAndQuery, Map<String, String> headers,
            String body, List<String> cookies) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("host", DOMAIN);
        h.put("user-agent", "test-browser");
        headers.forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v));
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.merge(k, v, (a, b) -> a + "," + b);
        }
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(method + " " + path)
                .withRawPath(path)
                .withRawQueryString(query)
                .withHeaders(h)
                .withCookies(cookies == null || cookies.isEmpty() ? null : cookies)
                .withQueryStringParameters(params.isEmpty() ? null : params)
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withDomainName(DOMAIN)
                        .withDomainPrefix("abc123")
                        .withStage("$default")
                        .withRequestId(UUID.randomUUID().toString())
                        .withTimeEpoch(Instant.now().toEpochMilli())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method).withPath(path).withProtocol("HTTP/1.1")
                                .withSourceIp("198.51.100.7").withUserAgent("test-browser").build())
                        .build())
                .build();
    }

    private void apply(String setCookie) {
        String[] parts = setCookie.split(";");
        String pair = parts[0];
        int eq = pair.indexOf('=');
        String name = pair.substring(0, eq).strip();
        String value = pair.substring(eq + 1).strip();
        boolean delete = false;
        for (int i = 1; i < parts.length; i++) {
            String attr = parts[i].strip().toLowerCase(Locale.ROOT);
            if (attr.equals("max-age=0")) {
                delete = true;
            }
        }
        if (delete) {
            cookies.remove(name);
        } else {
            cookies.put(name, value);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
