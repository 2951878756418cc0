package app.signin.login;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import app.signin.crypto.CookieCodec;
import app.signin.crypto.RandomTokens;
import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.oidc.AccessPolicy;
import app.signin.oidc.Identity;
import app.signin.oidc.Provider;
import app.signin.oidc.ProviderTokens;
import app.signin.session.PendingLogin;
import app.signin.session.SessionStore;
import app.signin.session.Sessions;
import app.signin.session.StoreUnavailableException;
import app.signin.web.CookiePolicy;
import app.signin.web.HttpRequest;
import app.signin.web.PublicOrigin;

/**
 * Finishes a login from the provider's redirect. The order matters and each step is a gate:
 * <ol>
 * <li>the response is well-formed and from our issuer (RFC 9207 {@code iss}), and not an error;</li>
 * <li>the state is bound to this browser by our signed cookie - no store call otherwise;</li>
 * <li>the pending login is consumed (deleted) <em>before</em> the code is exchanged, so a replayed or
 * racing callback can never reach Google a second time;</li>
 * <li>the code is exchanged once, the ID token fully verified, the access policy applied;</li>
 * <li>only then is a new session created; any session the browser already had is deleted.</li>
 * </ol>
 */
public final class CallbackProcessor {
    private static final int MAX_CODE_LENGTH = 2048;

    private final SessionStore store;
    private final CookieCodec codec;
    private final Provider provider;
    private final Sessions sessions;
    private final AccessPolicy policy;
    private final String issuer;

    public CallbackProcessor(SessionStore store, CookieCodec codec, Provider provider, Sessions sessions,
            AccessPolicy policy, String issuer) {
        this.store = store;
        this.codec = codec;
        this.provider = provider;
        this.sessions = sessions;
        this.policy = policy;
        this.issuer = issuer;
    }

    /** A finished login: where to go and the cookies to set. */
    public record Completed(String location, List<String> cookies) {
    }

    public Completed complete(HttpRequest request, PublicOrigin origin, Instant now) {
        Optional<String> error = request.queryParam("error");
        Optional<String> code = request.queryParam("code");
        Optional<String> state = request.queryParam("state");
        if (error.isPresent() && code.isPresent()) {
            throw new SignInException(Failure.BAD_REQUEST, "both code and error in the authorization response");
        }
        Optional<String> iss = request.queryParam("iss");
        if (iss.isPresent() && !iss.get().equals(issuer)) {
            throw new SignInException(Failure.ISSUER_MISMATCH, "authorization response names another issuer");
        }
        if (state.isEmpty() || state.get().isEmpty()) {
            throw new SignInException(Failure.STATE_MISSING, null);
        }
        if (!RandomTokens.isWellFormed(state.get())) {
            throw new SignInException(Failure.STATE_UNKNOWN, "malformed state");
        }
        String stateValue = state.get();
        String stateHash = RandomTokens.hash(stateValue);
        requireBoundToThisBrowser(request, origin, stateValue, stateHash);

        if (error.isPresent()) {
            // The attempt is over either way: burn the state so it cannot be completed later.
            store.takePendingLogin(stateHash);
            String shown = error.get().length() > 64 ? error.get().substring(0, 64) : error.get();
            throw new SignInException(Failure.PROVIDER_ERROR, "provider returned an error",
                    "Google said: " + shown, null);
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

        PendingLogin pending = store.takePendingLogin(stateHash)
                .filter(p -> !p.isExpired(now))
                .orElseThrow(() -> new SignInException(Failure.STATE_UNKNOWN, "state unknown, expired or used"));
        try {
            return finish(request, origin, now, code.get(), stateHash, pending);
        } catch (SignInException e) {
            throw e.attemptSpent();
        } catch (StoreUnavailableException e) {
            throw new SignInException(Failure.STORE_UNAVAILABLE, e.getMessage(), e).attemptSpent();
        }
    }

    /** The steps after the pending login is consumed: none of them can be retried with the same code. */
    private Completed finish(HttpRequest request, PublicOrigin origin, Instant now, String code, String stateHash,
            PendingLogin pending) {
        ProviderTokens tokens = provider.exchange(code, pending.codeVerifier(), origin.redirectUri());
        Identity identity = provider.verify(tokens.idToken(), pending.nonce());
        policy.check(identity);

        String sessionCookie = CookiePolicy.sessionCookieName(origin);
        List<String> previous = request.cookies(sessionCookie);
        if (!previous.isEmpty()) {
            try {
                sessions.end(sessionCookie, previous);
            } catch (StoreUnavailableException e) {
                // The old session stays until it expires; the browser loses its cookie below either way.
            }
        }
        Sessions.Started started = sessions.start(sessionCookie, identity, tokens, now);
        return new Completed(origin.url(pending.returnTo()), List.of(
                CookiePolicy.set(sessionCookie, started.cookieValue(), sessions.cookieLifetime()),
                CookiePolicy.clear(CookiePolicy.loginCookieName(origin, stateHash))));
    }

    /** The cookie that clears this state's binding cookie, for error responses. */
    public static Optional<String> clearBindingCookie(HttpRequest request, PublicOrigin origin) {
        try {
            return request.queryParam("state").filter(RandomTokens::isWellFormed)
                    .map(s -> CookiePolicy.clear(CookiePolicy.loginCookieName(origin, RandomTokens.hash(s))));
        } catch (SignInException e) {
            return Optional.empty();
        }
    }

    private void requireBoundToThisBrowser(HttpRequest request, PublicOrigin origin, String state, String stateHash) {
        String name = CookiePolicy.loginCookieName(origin, stateHash);
        for (String value : request.cookies(name)) {
            if (codec.verify(name, value).filter(state::equals).isPresent()) {
                return;
            }
        }
        throw new SignInException(Failure.STATE_MISMATCH, "no valid binding cookie for this state");
    }
}
