package app.signin.login;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import app.signin.crypto.RandomTokens;
import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.oidc.AccessPolicy;
import app.signin.oidc.Identity;
import app.signin.oidc.Provider;
import app.signin.oidc.ProviderTokens;
import app.signin.session.PendingLogin;
import app.signin.session.PendingLogins;
import app.signin.session.SessionStore;
import app.signin.session.Sessions;
import app.signin.session.StoreUnavailableException;
import app.signin.snapstart.SnapStartPriming;

/**
 * Finishes a login from the provider's redirect. The order matters and each step is a gate:
 * <ol>
 * <li>the response is well-formed and from our issuer (RFC 9207 {@code iss}), and not an error;</li>
 * <li>the state is bound to this browser by our signed cookie - otherwise no pending login is looked up or
 * consumed (a browser that is signed in already has only its own session read, to continue home);</li>
 * <li>the pending login is consumed (deleted) <em>before</em> the code is exchanged, so a replayed or
 * racing callback can never reach Google a second time;</li>
 * <li>the code is exchanged once, the ID token fully verified, the access policy applied;</li>
 * <li>only then is a new session created; any session the browser already had is deleted (its refresh
 * token carried over when it was the same user's and Google sent none).</li>
 * </ol>
 */
public final class CallbackProcessor {
    private static final int MAX_CODE_LENGTH = 2048;

    private final PendingLogins pendingLogins;
    private final Provider provider;
    private final Sessions sessions;
    private final AccessPolicy policy;
    private final String issuer;
    private final String providerName;

    /** @param providerName the provider as users know it ({@link Provider#displayName}), for the pages */
    public CallbackProcessor(PendingLogins pendingLogins, Provider provider, Sessions sessions, AccessPolicy policy,
            String issuer, String providerName) {
        this.pendingLogins = pendingLogins;
        this.provider = provider;
        this.sessions = sessions;
        this.policy = policy;
        this.issuer = issuer;
        this.providerName = providerName;
    }

    /** Where the browser goes next: always on to {@link #returnTo()}. */
    public sealed interface Outcome {
        String returnTo();
    }

    /** A finished login: the path to continue to and the new session's cookie value and lifetime. */
    public record Completed(String returnTo, String sessionCookieValue, Duration cookieLifetime) implements Outcome {
        @Override
        public String toString() {
            return "Completed[" + returnTo + "]";
        }
    }

    /**
     * A response this browser cannot complete (its login is used up, expired or not its own) arriving while
     * it already has a live session - the Back button after signing in, or a reopened callback URL. Nothing
     * was created or consumed beyond what the refusal itself does; the browser just continues, signed in as
     * before. {@code refused} is why the response itself was refused, for logs and metrics.
     */
    public record AlreadySignedIn(String returnTo, SignInException refused) implements Outcome {
    }

    /**
     * SnapStart priming: discovery, the callback role's store calls (taking a pending login - which also
     * removes the login function's priming item, deleting a session, and the user index Query of the
     * per-user limit), the MACs, token sealing, and an
     * ID token check on a throwaway key.
     */
    public void prime(SnapStartPriming priming, Instant now) {
        provider.prime(priming);
        pendingLogins.prime(priming, SessionStore.PrimingCall.TAKE_LOGIN, now);
        sessions.prime(priming, SessionStore.PrimingCall.END_SESSION, now);
        sessions.primeStore(priming, SessionStore.PrimingCall.LIST_USER_SESSIONS, now); // the per-user limit
        sessions.primeTokens(priming);
        provider.primeIdTokens(priming);
    }

    /** SnapStart priming: the session start warmed on {@code throwawayStore} ({@link Sessions#primeStart}). */
    public void primeSessionStart(SnapStartPriming priming, SessionStore throwawayStore) {
        sessions.primeStart(priming, throwawayStore);
    }

    /**
     * @param redirectUri the callback URL on the request's origin, sent again with the code as RFC 6749
     *     section 4.1.3 requires
     */
    public Outcome complete(AuthorizationResponse response, String redirectUri, Instant now) {
        Optional<String> error = response.error();
        Optional<String> code = response.code();
        Optional<String> state = response.state();
        if (error.isPresent() && code.isPresent()) {
            throw new SignInException(Failure.BAD_REQUEST, "both code and error in the authorization response");
        }
        Optional<String> iss = response.iss();
        if (iss.isPresent() && !iss.get().equals(issuer)) {
            throw new SignInException(Failure.ISSUER_MISMATCH, "authorization response names another issuer");
        }
        if ((state.isEmpty() || state.get().isEmpty()) && error.isPresent()) {
            // What a cancel at the provider looks like when it drops the state (Google's access_denied may).
            throw new SignInException(Failure.PROVIDER_ERROR, "provider returned an error without a state",
                    "Sign-in at " + providerName + " was cancelled or not completed.", null);
        }
        if (state.isEmpty() || state.get().isEmpty()) {
            throw new SignInException(Failure.STATE_MISSING, null);
        }
        if (!RandomTokens.isWellFormed(state.get())) {
            throw new SignInException(Failure.STATE_UNKNOWN, "malformed state");
        }
        String stateValue = state.get();
        if (response.binding().filter(b -> pendingLogins.isBound(b, stateValue)).isEmpty()) {
            return alreadySignedIn(response, now,
                    new SignInException(Failure.STATE_MISMATCH, "no valid binding cookie for this state"));
        }

        if (error.isPresent()) {
            // The attempt is over either way: burn the state so it cannot be completed later.
            pendingLogins.take(stateValue, now);
            String shown = error.get().length() > 64 ? error.get().substring(0, 64) : error.get();
            throw new SignInException(Failure.PROVIDER_ERROR, "provider returned an error",
                    providerName + " said: " + shown, null);
        }
        if (code.isEmpty() || code.get().isEmpty() || code.get().length() > MAX_CODE_LENGTH) {
            throw new SignInException(Failure.CODE_MISSING, null);
        }

        // RFC 9207 section 2.4: a provider that promises iss in its responses must send it, or the response
        // may have been mixed up with another provider's (mix-up attack).
        if (iss.isEmpty() && provider.metadata().issInAuthorizationResponse()) {
            throw new SignInException(Failure.ISSUER_MISMATCH, "authorization response lacks the promised iss");
        }
        // Whatever can fail without spending the attempt fails here, while a reload can still finish it.
        provider.requireReadyForExchange();

        Optional<PendingLogin> taken = pendingLogins.take(stateValue, now);
        if (taken.isEmpty()) {
            return alreadySignedIn(response, now,
                    new SignInException(Failure.STATE_UNKNOWN, "state unknown, expired or used"));
        }
        PendingLogin pending = taken.get();
        try {
            return finish(response, redirectUri, now, code.get(), pending);
        } catch (SignInException e) {
            throw e.attemptSpent();
        } catch (StoreUnavailableException e) {
            throw new SignInException(Failure.STORE_UNAVAILABLE, e.getMessage(), e).attemptSpent();
        }
    }

    /**
     * The refusal of a response that cannot be completed - unless the browser is signed in already, when it
     * continues to {@code /} (the login's own return path went with its pending login). This only ever
     * reads the browser's existing session: no session is created, no code exchanged, no check skipped.
     */
    private Outcome alreadySignedIn(AuthorizationResponse response, Instant now, SignInException refused) {
        Optional<Sessions.SessionId> id = sessions.idFromCookie(response.session().name(), response.session().values());
        boolean signedIn;
        try {
            signedIn = id.isPresent() && sessions.resolve(id.get(), now).isPresent();
        } catch (StoreUnavailableException e) {
            signedIn = false; // the refusal stands: an outage must not turn a 400 into a 503
        }
        if (!signedIn) {
            throw refused;
        }
        return new AlreadySignedIn("/", refused);
    }

    /** The steps after the pending login is consumed: none of them can be retried with the same code. */
    private Completed finish(AuthorizationResponse response, String redirectUri, Instant now, String code,
            PendingLogin pending) {
        ProviderTokens tokens = provider.exchange(code, pending.codeVerifier(), redirectUri);
        Identity identity = provider.verify(tokens.idToken(), pending.nonce(), now);
        policy.check(identity);

        Optional<Sessions.Active> replaced = Optional.empty();
        if (response.session().sent()) {
            try {
                replaced = sessions.end(response.session());
            } catch (StoreUnavailableException e) {
                // The old session stays until it expires; the browser loses its cookie below either way.
            }
        }
        // The replaced session may hold the refresh token this exchange lacks (no consent was asked for).
        Sessions.Started started = sessions.start(response.session().name(), identity, tokens, response.device(),
                replaced, now);
        return new Completed(pending.returnTo(), started.cookieValue(), sessions.cookieLifetime());
    }
}
