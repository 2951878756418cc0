package app.signin.protect;

import java.util.Optional;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.json.Json;
import app.signin.web.HttpRequest;
import app.signin.web.HttpResponse;
import app.signin.web.PublicOrigin;

/**
 * JSON responses for API functions behind the authorizer, with the same security headers as every page
 * ({@code no-store}, {@code nosniff}, HSTS on https). Errors have one shape:
 * {@code {"error": "<reason code>", "message": "...", "requestId": "..."}}.
 */
public final class JsonResponses {
    private JsonResponses() {
    }

    /** 200 with a body built by {@link Json}. */
    public static APIGatewayV2HTTPResponse ok(HttpRequest request, String json) {
        return HttpResponse.json(200, json).build(origin(request));
    }

    /** 401 {@code not_authenticated}: what a function answers when {@link SignedInUser#from} is empty. */
    public static APIGatewayV2HTTPResponse notSignedIn(HttpRequest request) {
        return error(request, Failure.NOT_AUTHENTICATED);
    }

    /**
     * The answer to a caller the authorizer let through without a user, for {@code failure} (see
     * {@link SignedInUser#whyNotSignedIn}): {@link #invalidToken} with {@code description} (or the failure's own
     * words) for a bearer token that cannot be used, otherwise {@link #error}.
     */
    public static APIGatewayV2HTTPResponse notSignedIn(HttpRequest request, Failure failure,
            Optional<String> description) {
        return failure == Failure.INVALID_TOKEN ? invalidToken(request, description.orElse(failure.message()))
                : error(request, failure);
    }

    /**
     * The failure's status and reason code, with {@code Retry-After} when it is worth retrying and
     * {@code WWW-Authenticate: Bearer} on a 401.
     */
    public static APIGatewayV2HTTPResponse error(HttpRequest request, Failure failure) {
        return errorResponse(request, failure).build(origin(request));
    }

    /** The same, not yet built: for handlers on the shared HttpHandler pipeline, which build it themselves. */
    public static HttpResponse errorResponse(HttpRequest request, Failure failure) {
        Json body = Json.object()
                .put("error", failure.reason())
                .put("message", failure.message())
                .put("requestId", request.requestId());
        if (failure == Failure.NOT_AUTHENTICATED || failure == Failure.GOOGLE_AUTHORIZATION_ENDED) {
            body.put("login", "/login"); // where a browser app sends its user: both mean "sign in (again)"
        }
        HttpResponse response = HttpResponse.json(failure.status(), body.toString());
        if (failure.status() == 401) {
            // RFC 7235 3.1: every 401 names a scheme. RFC 6750 3: the scheme alone, no error code, for a request
            // whose credential is missing or no longer good for anything (not_authenticated,
            // google_authorization_ended); a bad bearer token gets invalidToken's header instead.
            response.header("www-authenticate", "Bearer");
        }
        return failure.retryAfterSeconds() > 0
                ? response.header("retry-after", Integer.toString(failure.retryAfterSeconds()))
                : response;
    }

    /**
     * 401 for a bearer token that cannot be used, as RFC 6750 section 3 has it: {@code {"error":
     * "invalid_token", "error_description": ...}} and {@code WWW-Authenticate: Bearer error="invalid_token",
     * error_description="..."}. {@code description} is our own words (which check failed), never the token.
     */
    public static APIGatewayV2HTTPResponse invalidToken(HttpRequest request, String description) {
        // RFC 6750 3: error_description is %x20-21 / %x23-5B / %x5D-7E - no quote, no backslash.
        String safe = description.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "?");
        String body = Json.object()
                .put("error", Failure.INVALID_TOKEN.reason())
                .put("error_description", safe)
                .put("requestId", request.requestId()).toString();
        return HttpResponse.json(Failure.INVALID_TOKEN.status(), body)
                .header("www-authenticate", "Bearer error=\"invalid_token\", error_description=\"" + safe + "\"")
                .build(origin(request));
    }

    /**
     * The origin only decides whether HSTS is sent. API functions need no configuration, so it comes from
     * API Gateway's {@code domainName} (https), as it does for the pages when PUBLIC_BASE_URL is not set.
     */
    public static PublicOrigin origin(HttpRequest request) {
        try {
            return PublicOrigin.of(Optional.empty(), request);
        } catch (SignInException e) {
            return null;
        }
    }
}
