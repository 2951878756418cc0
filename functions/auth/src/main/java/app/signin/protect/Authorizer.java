package app.signin.protect;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.log.Log;
import app.signin.oidc.BearerTokens;
import app.signin.oidc.Identity;
import app.signin.session.SentCookie;
import app.signin.session.SessionStore;
import app.signin.session.Sessions;
import app.signin.session.StoreUnavailableException;
import app.signin.session.StoredSession;
import app.signin.snapstart.SnapStartPriming;
import app.signin.web.BearerCredential;

/**
 * The session authorizer's decision. A request with an {@code Authorization} header is judged by that alone:
 * a Google ID token as bearer token ({@link BearerTokens}, no store call). Otherwise the session cookie is
 * checked exactly as the index page checks it ({@link Sessions#lookup}), with the same sliding refresh. The
 * answer is one of {@link AuthorizerResponse}'s, with {@code via} saying which credential it was. Fails
 * closed: a store that does not answer, a malformed request or an unexpected error denies.
 */
public final class Authorizer {
    /**
     * Routes (API Gateway route keys, which a client cannot choose) whose function answers "not signed in"
     * itself. A route renamed in template.yaml without updating this set is merely denied, never opened.
     */
    public static final Set<String> SELF_ANSWERING_ROUTES = Set.of("GET /api/me");

    /**
     * The stage variable, with value {@link #OWN_API}, by which this stack's own HTTP API (template.yaml)
     * says its {@link #SELF_ANSWERING_ROUTES} answer for themselves. The authorizer is exported for other
     * stacks' APIs; a route key is only unique within one API, so without this mark another stack's
     * {@code GET /api/me} would be let through unauthenticated. Stage variables are set by the API's
     * owner in its own template - a client cannot send them.
     */
    public static final String OWN_API_STAGE_VARIABLE = "signInSelfAnsweringRoutes";
    public static final String OWN_API = "on";

    private final Sessions sessions;
    private final BearerTokens bearerTokens;

    public Authorizer(Sessions sessions, BearerTokens bearerTokens) {
        this.sessions = sessions;
        this.bearerTokens = bearerTokens;
    }

    /**
     * The answer for API Gateway ({@link AuthorizerResponse}'s map), and what its log line says: the outcome
     * ({@code allow}, {@code deny} or {@code anonymous}), the failure (null when allowed) and the detail.
     */
    public record Decision(Map<String, Object> answer, String outcome, Failure failure, String detail) {
    }

    /**
     * {@code sessionCookie} is read only when there is no {@code Authorization} header; it may throw the
     * {@link SignInException} of a request that names no origin we accept, which denies.
     */
    public Decision decide(String routeKey, boolean ownApi, Optional<String> authorization,
            Supplier<SentCookie> sessionCookie, Instant now) {
        String selfAnswering = ownApi ? routeKey : null; // another stack's API: every route key is denied
        try {
            if (authorization.isPresent()) {
                // The only credential considered: a bad token beside a good cookie is still a bad token.
                Identity caller = bearerTokens.authenticate(BearerCredential.token(authorization), now);
                return allow(new SignedInUser(caller.sub(), caller.email(), caller.name(), SignedInUser.VIA_BEARER),
                        "via bearer");
            }
            Sessions.Lookup lookup = sessions.lookup(sessionCookie.get(), now);
            if (lookup.active().isPresent()) {
                StoredSession s = lookup.active().get().session();
                return allow(new SignedInUser(s.sub(), s.email(), s.name(), SignedInUser.VIA_SESSION), null);
            }
            return notSignedIn(selfAnswering, Failure.NOT_AUTHENTICATED, lookup.whyNot(), null);
        } catch (StoreUnavailableException e) {
            return notSignedIn(selfAnswering, Failure.STORE_UNAVAILABLE, e.getMessage(), null);
        } catch (SignInException e) {
            return notSignedIn(selfAnswering, e.failure(), e.getMessage(), e.userDetail());
        } catch (RuntimeException e) {
            // Unexpected: deny, and log the type and where it happened, never the message (it may quote input).
            return new Decision(AuthorizerResponse.deny(), "deny", Failure.INTERNAL, Log.describeUnexpected(e));
        }
    }

    /** The same decisions over {@code otherSessions} (a throwaway copy): SnapStart priming's warming requests. */
    public Authorizer over(Sessions otherSessions) {
        return new Authorizer(otherSessions, bearerTokens);
    }

    /** The sessions it checks cookies against (priming makes its throwaway copy of them). */
    public Sessions sessions() {
        return sessions;
    }

    /** The session lookup's MACs and its one store call, a read (the authorizer's role allows no other). */
    public void prime(SnapStartPriming priming, Instant now) {
        sessions.prime(priming, SessionStore.PrimingCall.READ_SESSION, now);
    }

    private static Decision allow(SignedInUser user, String detail) {
        return new Decision(AuthorizerResponse.allow(user), "allow", null, detail);
    }

    private static Decision notSignedIn(String routeKey, Failure failure, String detail, String description) {
        return routeKey != null && SELF_ANSWERING_ROUTES.contains(routeKey)
                ? new Decision(AuthorizerResponse.anonymous(failure.reason(), description), "anonymous", failure, detail)
                : new Decision(AuthorizerResponse.deny(), "deny", failure, detail);
    }
}
