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
 * <li>no {@code Cookie} header at all: API Gateway itself, 401 {@code {"message":"Unauthorized"}}, without
 * calling the authorizer (the header is its identity source);</li>
 * <li>a cookie but no live session: {@link #deny}, so API Gateway answers 403 {@code {"message":"Forbidden"}}
 * - on every route except the self-answering ones;</li>
 * <li>on a self-answering route ({@code GET /api/me}) the request is let through {@link #anonymous} with the
 * reason, and the function answers 401 (or 503) JSON itself. That is the one place a client gets our own
 * 401 body, so a single-page app can ask "am I signed in?".</li>
 * </ul>
 */
public final class AuthorizerResponse {
    private AuthorizerResponse() {
    }

    /** Let through, with the user for {@link SignedInUser#from}. */
    public static Map<String, Object> allow(SignedInUser user) {
        return response(true, user.toContext());
    }

    /** Let through without a session, for a route that answers 401 itself; {@code reason} is a Failure code. */
    public static Map<String, Object> anonymous(String reason) {
        return response(true, SignedInUser.anonymousContext(reason));
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
