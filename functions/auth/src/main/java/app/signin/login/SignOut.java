package app.signin.login;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.log.Metrics;
import app.signin.oidc.Provider;
import app.signin.session.SentCookie;
import app.signin.session.SessionStore;
import app.signin.session.Sessions;
import app.signin.session.StoreUnavailableException;
import app.signin.snapstart.SnapStartPriming;

/**
 * Ends a session at the user's request: the CSRF token checked, the item deleted, the provider's token
 * revoked (best effort), the ending counted. Whether the request came from this site at all is the
 * handler's check, made before this is called.
 */
public final class SignOut {
    private final Sessions sessions;
    private final Provider provider;
    private final Metrics metrics;

    public SignOut(Sessions sessions, Provider provider, Metrics metrics) {
        this.sessions = sessions;
        this.provider = provider;
        this.metrics = metrics;
    }

    /**
     * The CSRF token the Sign out form must carry, if the cookie names a session. No store call: a cookie
     * that verifies is enough to offer the button.
     */
    public Optional<String> csrfToken(SentCookie cookie) {
        return sessions.idFromCookie(cookie.name(), cookie.values()).map(sessions::csrfToken);
    }

    /**
     * Ends the session the cookie names, if any; the form's token is read only then. Throws
     * {@code CSRF_REJECTED} without a valid token, and
     * {@code STORE_UNAVAILABLE} when the item could not be deleted (the browser is signed out all the same
     * once its cookie is cleared).
     */
    /** SnapStart priming: discovery (the revocation endpoint), the MACs, the delete, and opening sealed tokens. */
    public void prime(SnapStartPriming priming, Instant now) {
        provider.prime(priming);
        sessions.prime(priming, SessionStore.PrimingCall.END_SESSION, now);
        sessions.primeTokens(priming);
    }

    public void end(SentCookie cookie, Supplier<String> csrfToken) {
        Optional<Sessions.SessionId> id = sessions.idFromCookie(cookie.name(), cookie.values());
        if (id.isEmpty()) {
            return;
        }
        if (!sessions.csrfMatches(id.get(), csrfToken.get())) {
            throw new SignInException(Failure.CSRF_REJECTED, "logout form without a valid CSRF token");
        }
        try {
            Optional<Sessions.Active> ended = sessions.end(id.get());
            if (ended.isPresent()) {
                metrics.sessionEnded();
            }
            ended.flatMap(sessions::revocableToken).ifPresent(provider::revoke);
        } catch (StoreUnavailableException e) {
            throw new SignInException(Failure.STORE_UNAVAILABLE, "session not deleted; cookie cleared",
                    "You are signed out in this browser; the server will forget the session when it expires.", e);
        }
    }
}
