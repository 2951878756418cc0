package app.signin.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.net.WebOrigin;

/**
 * CORS for {@code /api/me}, for exactly the sibling origins ({@code ALLOWED_RETURN_ORIGINS}): a listed
 * {@code Origin} is echoed with {@code Access-Control-Allow-Credentials: true}, so a sibling's page can call
 * {@code fetch(url, {credentials: "include"})} and read the answer; an unlisted one - {@code null} included -
 * gets no CORS header at all, so the browser keeps the answer from the page. {@code Vary: Origin} always,
 * so no cache serves one origin's answer to another.
 *
 * <p>The {@code Origin} header is compared as sent with each allowed origin's serialization: browsers send
 * exactly that form (lower case, no default port), and anything else is simply not listed.
 */
public final class Cors {
    static final String MAX_AGE_SECONDS = "600";

    private final Set<String> allowed;

    public Cors(Set<WebOrigin> allowedOrigins) {
        this.allowed = allowedOrigins.stream().map(WebOrigin::serialize).collect(Collectors.toUnmodifiableSet());
    }

    /** The headers for an actual (non-preflight) response to a request carrying this {@code Origin}. */
    public Map<String, String> headers(Optional<String> origin) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("vary", "Origin");
        if (origin.isPresent() && allowed.contains(origin.get())) {
            headers.put("access-control-allow-origin", origin.get());
            headers.put("access-control-allow-credentials", "true");
        }
        return headers;
    }

    /**
     * The headers answering a preflight: for a listed origin asking for {@code GET}, the method and the
     * {@code Authorization} header allowed (a bearer client's), cached for ten minutes; otherwise none.
     */
    public Map<String, String> preflight(Optional<String> origin, Optional<String> requestedMethod) {
        Map<String, String> headers = headers(origin);
        if (headers.containsKey("access-control-allow-origin") && requestedMethod.filter("GET"::equals).isPresent()) {
            headers.put("access-control-allow-methods", "GET");
            headers.put("access-control-allow-headers", "Authorization");
            headers.put("access-control-max-age", MAX_AGE_SECONDS);
        } else {
            headers.keySet().removeIf(h -> h.startsWith("access-control-"));
        }
        return headers;
    }

    /** The answer to a browser's preflight ({@code OPTIONS}): 204 with the headers of {@link #preflight}. */
    public APIGatewayV2HTTPResponse preflightResponse(HttpRequest request) {
        APIGatewayV2HTTPResponse preflight = new APIGatewayV2HTTPResponse();
        preflight.setStatusCode(204);
        preflight.setHeaders(preflight(request.header("origin"), request.header("access-control-request-method")));
        return preflight;
    }

    /** The response with this request's CORS headers added to the ones it already has. */
    public APIGatewayV2HTTPResponse applyTo(APIGatewayV2HTTPResponse response, HttpRequest request) {
        Map<String, String> merged = new LinkedHashMap<>(response.getHeaders() == null ? Map.of() : response.getHeaders());
        merged.putAll(headers(request.header("origin")));
        response.setHeaders(merged);
        return response;
    }
}
