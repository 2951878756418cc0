package app.signin.protect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The session authorizer's answers to API Gateway (payload 2.0 simple responses,
 * {@code {"isAuthorized": ..., "context": {...}}}), built here beside {@link SignedInUser#from}, which reads
 * the context on the other side: the keys cannot drift apart.
 *
 * <p>Who answers what (API Gateway's answers are fixed; an HTTP API cannot customise them):
 * <ul>
 * <li>the authorizer runs on every request: its only identity source is {@code $context.routeKey}, which is
 * always present (with caching off an HTTP API needs no other; a header as identity source would make API
 * Gateway answer 401 itself whenever that header is missing - with Cookie, a bearer-only client could
 * never reach the authorizer);</li>
 * <li>a live session, or a valid bearer ID token: {@link #allow}, and the function runs with the user and
 * {@code via};</li>
 * <li>no credential, no live session, or an invalid bearer token: {@link #deny}, so API Gateway answers 403
 * {@code {"message":"Forbidden"}} - on every route except the self-answering ones;</li>
 * <li>on a self-answering route ({@code GET /api/me}) the request is let through {@link #anonymous} with the
 * reason, and the function answers 401 (or 503) JSON itself - for a bearer token with
 * {@code WWW-Authenticate: Bearer error="invalid_token"} (RFC 6750 3). That is the one place a client gets
 * our own 401 body, so a single-page app or a CLI can ask "am I signed in?".</li>
 * </ul>
 */
public final class AuthorizerResponse {
    private AuthorizerResponse() {
    }

    /** Let through, with the user for {@link SignedInUser#from}. */
    public static Map<String, Object> allow(SignedInUser user) {
        return response(true, user.toContext());
    }

    /**
     * Let through without a session, for a route that answers 401 itself; {@code reason} is a Failure code,
     * {@code description} (may be null) says what was wrong with the credential, for the client.
     */
    public static Map<String, Object> anonymous(String reason, String description) {
        return response(true, SignedInUser.anonymousContext(reason, description));
    }

    /** Refused: API Gateway answers 403 and the function is never called. */
    public static Map<String, Object> deny() {
        return response(false, Map.of());
    }

    private static Map<String, Object> response(boolean authorized, Map<String, Object> context) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("isAuthorized", authorized);
        response.put("context", context);
        return response;
    }
}
