package app.signin.local;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

/**
 * The translations API Gateway's HTTP API does around a Lambda proxy integration with payload format
 * 2.0: an HTTP request into an {@link APIGatewayV2HTTPEvent} (and, for a route with a Lambda authorizer,
 * into the authorizer's event), and the function's {@link APIGatewayV2HTTPResponse}
 * back into an HTTP response.
 */
final class HttpApiEvents {
    /** What API Gateway answers when the integration fails, and when no route matches. */
    static final String INTERNAL_ERROR_BODY = "{\"message\":\"Internal Server Error\"}";
    static final String NOT_FOUND_BODY = "{\"message\":\"Not Found\"}";
    /** What API Gateway answers when an authorizer's identity sources are missing, and when it denies. */
    static final String UNAUTHORIZED_BODY = "{\"message\":\"Unauthorized\"}";
    static final String FORBIDDEN_BODY = "{\"message\":\"Forbidden\"}";

    static final String DOMAIN_NAME = "localhost";
    static final String DOMAIN_PREFIX = "localhost";
    static final String STAGE = "$default";
    /** The placeholders `sam local start-api` uses too: there is no real account or API here. */
    static final String ACCOUNT_ID = "123456789012";
    static final String API_ID = "local";

    private static final DateTimeFormatter TIME = DateTimeFormatter
            .ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private HttpApiEvents() {
    }

    /** An HTTP request as the server received it. Header names in any case, each value as sent. */
    record Incoming(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body,
            String sourceIp, String protocol) {
    }

    /** An HTTP response to write: headers in order, repeats allowed (one {@code set-cookie} per cookie). */
    record Outgoing(int status, List<Map.Entry<String, String>> headers, byte[] body) {
        static Outgoing json(int status, String json) {
            return new Outgoing(status, List.of(Map.entry("content-type", "application/json")),
                    json.getBytes(StandardCharsets.UTF_8));
        }
    }

    static APIGatewayV2HTTPEvent toEvent(Incoming in, String routeKey, String requestId, Instant now) {
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        in.headers().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                // Payload 2.0 moves cookies out of the headers into their own array, one entry per cookie.
                for (String header : values) {
                    for (String pair : header.split(";")) {
                        if (!pair.isBlank()) {
                            cookies.add(pair.strip());
                        }
                    }
                }
                return;
            }
            headers.merge(lower, String.join(",", values), (a, b) -> a + "," + b);
        });
        String rawQuery = in.rawQuery() == null ? "" : in.rawQuery();
        Map<String, String> query = queryParameters(rawQuery);
        String userAgent = headers.getOrDefault("user-agent", "");

        boolean hasBody = in.body() != null && in.body().length > 0;
        boolean text = isText(headers.get("content-type"));
        String body = !hasBody ? null
                : text ? new String(in.body(), StandardCharsets.UTF_8)
                : Base64.getEncoder().encodeToString(in.body());

        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(in.rawPath())
                .withRawQueryString(rawQuery)
                .withCookies(cookies.isEmpty() ? null : List.copyOf(cookies))
                .withHeaders(headers)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withBody(body)
                .withIsBase64Encoded(hasBody && !text)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRouteKey(routeKey)
                        .withAccountId(ACCOUNT_ID)
                        .withApiId(API_ID)
                        .withDomainName(DOMAIN_NAME)
                        .withDomainPrefix(DOMAIN_PREFIX)
                        .withStage(STAGE)
                        .withRequestId(requestId)
                        .withTime(TIME.format(now))
                        .withTimeEpoch(now.toEpochMilli())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(in.method())
                                .withPath(in.rawPath())
                                .withProtocol(in.protocol())
                                .withSourceIp(in.sourceIp())
                                .withUserAgent(userAgent)
                                .build())
                        .build())
                .build();
    }

    /**
     * The values of an authorizer's identity sources for this request, in order, or empty when any is
     * missing or empty - then API Gateway answers 401 without invoking the authorizer. Headers are matched
     * regardless of case and repeats joined as received ({@code Cookie} with {@code "; "}).
     */
    static Optional<List<String>> identityValues(List<String> sources, Incoming in, APIGatewayV2HTTPEvent event) {
        List<String> values = new ArrayList<>();
        var rc = event.getRequestContext();
        for (String source : sources) {
            String value = null;
            if (source.startsWith("$request.header.")) {
                String name = source.substring("$request.header.".length());
                List<String> sent = in.headers().entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                        .flatMap(h -> h.getValue().stream()).toList();
                value = sent.isEmpty() ? null : String.join(name.equalsIgnoreCase("cookie") ? "; " : ",", sent);
            } else if (source.startsWith("$request.querystring.")) {
                value = queryParameters(in.rawQuery() == null ? "" : in.rawQuery())
                        .get(source.substring("$request.querystring.".length()));
            } else if (source.startsWith("$context.")) {
                value = switch (source.substring("$context.".length())) {
                    case "routeKey" -> rc.getRouteKey();
                    case "requestId" -> rc.getRequestId();
                    case "stage" -> rc.getStage();
                    case "apiId" -> rc.getApiId();
                    case "accountId" -> rc.getAccountId();
                    case "domainName" -> rc.getDomainName();
                    case "httpMethod" -> rc.getHttp().getMethod();
                    default -> null;
                };
            } else if (source.startsWith("$stageVariables.") && event.getStageVariables() != null) {
                value = event.getStageVariables().get(source.substring("$stageVariables.".length()));
            }
            if (value == null || value.isEmpty()) {
                return Optional.empty();
            }
            values.add(value);
        }
        return Optional.of(values);
    }

    /**
     * The payload 2.0 authorizer event for a request, in the form the authorizer reads it (the same
     * {@link APIGatewayV2HTTPEvent} type, as {@code HttpApiJson.readEvent} reads the real one): the route
     * event's request fields - API Gateway sends the authorizer the same headers, cookies, path, query and
     * request context - without the body, which an authorizer never gets. The event's {@code type},
     * {@code routeArn} and {@code identitySource} have no place in that type and no reader here; the identity
     * values decide only whether the authorizer is called at all ({@link #identityValues}).
     */
    static APIGatewayV2HTTPEvent toAuthorizerEvent(APIGatewayV2HTTPEvent e) {
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(e.getRouteKey())
                .withRawPath(e.getRawPath())
                .withRawQueryString(e.getRawQueryString())
                .withCookies(e.getCookies())
                .withHeaders(e.getHeaders())
                .withQueryStringParameters(e.getQueryStringParameters())
                .withPathParameters(e.getPathParameters())
                .withStageVariables(e.getStageVariables())
                .withRequestContext(e.getRequestContext())
                .build();
    }

    /**
     * The function's response as API Gateway returns it: its status, its headers, each {@code cookies}
     * entry as a {@code set-cookie} header of its own, the body base64-decoded when flagged. Payload 2.0 has
     * no {@code multiValueHeaders}; API Gateway ignores that field, and so does this.
     */
    static Outgoing fromResponse(APIGatewayV2HTTPResponse response) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((k, v) -> {
                if (k != null && v != null) {
                    headers.add(Map.entry(k.toLowerCase(Locale.ROOT), v));
                }
            });
        }
        if (response.getCookies() != null) {
            response.getCookies().forEach(c -> headers.add(Map.entry("set-cookie", c)));
        }
        String body = response.getBody();
        byte[] bytes = body == null ? new byte[0]
                : response.getIsBase64Encoded() ? Base64.getDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8);
        return new Outgoing(response.getStatusCode(), List.copyOf(headers), bytes);
    }

    /**
     * Repeated parameters are comma-joined, as payload 2.0 does; names and values are percent-decoded.
     * A parameter without {@code =} has the empty value.
     */
    static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.merge(name, value, (a, b) -> a + "," + b);
        }
        return params;
    }

    /**
     * API Gateway passes JSON and {@code text/*} bodies as text and base64-encodes everything else,
     * including HTML form posts ({@code application/x-www-form-urlencoded}).
     */
    static boolean isText(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.equals("application/json") || type.endsWith("+json");
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // malformed percent-encoding: passed on as sent, for the function to judge
        }
    }
}
