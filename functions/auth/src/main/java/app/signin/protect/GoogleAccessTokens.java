package app.signin.protect;

import java.time.Instant;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.session.AccessTokens;
import app.signin.session.SentCookie;
import app.signin.session.SessionStore;
import app.signin.session.SignInAgainException;
import app.signin.session.Sessions;
import app.signin.snapstart.SnapStartPriming;
import app.signin.web.CookiePolicy;
import app.signin.web.HttpRequest;
import app.signin.web.Pipeline;

/**
 * For your own functions behind the session authorizer: the signed-in user's Google access token, to call a
 * Google API for them (enable the API's scope with {@code GOOGLE_SCOPES}; README, "Calling Google APIs for
 * the user").
 *
 * <pre>{@code
 * private final GoogleAccessTokens google = App.fromEnvironment().googleAccessTokens();   // once per container
 *
 * public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
 *     HttpRequest request = new HttpRequest(event);
 *     try {
 *         String token = google.forRequest(event).value();     // refreshed if it had expired
 *         // ... call https://www.googleapis.com/... with "Authorization: Bearer " + token
 *         // (or inside google.call(request, token -> ...), so that a 401 from Google marks it expired)
 *     } catch (SignInAgainException e) {
 *         return JsonResponses.error(request, e.failure());   // 401: sign in again
 *     } catch (SignInException e) {
 *         return JsonResponses.error(request, e.failure());   // 502/503: Google failed, retry later
 *     }
 * }
 * }</pre>
 *
 * The token is found from the request's session cookie (API Gateway passes cookies to the function), so
 * the function's role needs what a refresh needs: {@code GetItem}, {@code UpdateItem} and {@code DeleteItem}
 * on session items, the session secret and the Google client secret (with its {@code kms:Decrypt} when a customer
 * managed key encrypts it) - see {@code GoogleUserinfoFunction} in
 * template.yaml. Keep the token on the server: never put it in a response, a cookie or a log line.
 */
public final class GoogleAccessTokens {
    private final Sessions sessions;
    private final AccessTokens tokens;
    private final Pipeline pipeline;

    /** {@code pipeline}: the site's origin and cookie domain (which name the session cookie has), and the clock. */
    public GoogleAccessTokens(Sessions sessions, AccessTokens tokens, Pipeline pipeline) {
        this.sessions = sessions;
        this.tokens = tokens;
        this.pipeline = pipeline;
    }

    /**
     * A valid access token for this request's user. Throws {@link SignInAgainException} when only a new
     * sign-in helps (401), or when the caller sent a bearer token, which has no stored grant behind it (403
     * {@code session_required}), {@code SignInException} (502/503) when Google or the configuration fails, and
     * {@code StoreUnavailableException} (503) when DynamoDB does.
     */
    public AccessTokens.AccessToken forRequest(APIGatewayV2HTTPEvent event) {
        return forRequest(new HttpRequest(event));
    }

    public AccessTokens.AccessToken forRequest(HttpRequest request) {
        return tokens.current(sessionId(request), pipeline.clock().instant());
    }

    /**
     * {@code googleCall} with this request's access token ({@link #forRequest}), e.g.
     * {@code google.call(request, token -> ...)}. When Google refuses the token - {@code googleCall} throws a
     * {@code SignInException} with {@link Failure#GOOGLE_AUTHORIZATION_ENDED}, as {@code Provider.userinfoJson}
     * does on a 401; throw the same when your API answers 401 - the stored token is marked expired, so the
     * next request refreshes it (and a revoked grant ends the session), and {@link SignInAgainException}
     * says 401. Google's other failures pass through as they are.
     */
    public <T> T call(HttpRequest request, Function<AccessTokens.AccessToken, T> googleCall) {
        Sessions.SessionId id = sessionId(request);
        Instant now = pipeline.clock().instant();
        AccessTokens.AccessToken token = tokens.current(id, now);
        try {
            return googleCall.apply(token);
        } catch (SignInException e) {
            if (e.failure() != Failure.GOOGLE_AUTHORIZATION_ENDED) {
                throw e;
            }
            tokens.rejected(id, token, now);
            throw new SignInAgainException(Failure.GOOGLE_AUTHORIZATION_ENDED,
                    e.getMessage() + "; the stored access token is marked expired");
        }
    }

    private Sessions.SessionId sessionId(HttpRequest request) {
        if (request.header("authorization").isPresent()) {
            // The authorizer judged this request by its bearer token alone (an ID token, which holds no grant);
            // a session cookie sent beside it may be someone else's and is not looked at either.
            throw new SignInAgainException(Failure.SESSION_REQUIRED, "bearer caller: no stored grant to use");
        }
        SentCookie cookie = CookiePolicy.sessionCookie(pipeline.origin(request), request);
        return sessions.idFromCookie(cookie.name(), cookie.values())
                .orElseThrow(() -> new SignInAgainException(Failure.NOT_AUTHENTICATED,
                        "no session cookie that verifies"));
    }

    /**
     * SnapStart priming: the session read and the refresh's conditional update on the priming key (neither
     * finds an item, so nothing is written), and the token cipher - no call to the provider.
     */
    public void prime(SnapStartPriming priming, Instant now) {
        sessions.prime(priming, SessionStore.PrimingCall.READ_SESSION, now);
        tokens.prime(priming, now);
    }
}
