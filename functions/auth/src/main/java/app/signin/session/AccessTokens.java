package app.signin.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import app.signin.crypto.TokenCipher;
import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.oidc.ProviderTokens;
import app.signin.snapstart.SnapStartPriming;

/**
 * A valid Google access token for a session, refreshed when it has expired. Values in (the verified session
 * id, the time), a token out; it never sees a request or a cookie string.
 *
 * <p>Refresh: the access token counts as expired {@link #EXPIRY_SKEW} before Google's deadline, so a token
 * handed out is still good when the caller's request reaches Google. The new tokens are sealed as at
 * sign-in; a refresh token Google does not send again is kept.
 *
 * <p>Concurrency: two requests may refresh at once. Each stores its result with a compare-and-set on the
 * sealed tokens it read ({@link SessionStore#replaceTokens}), so exactly one write wins and the refresh
 * token cannot be lost; the other re-reads and uses the winner's access token. Google does not rotate
 * refresh tokens, so both refreshes succeed; a provider that did would answer the loser {@code invalid_grant},
 * which is why a refused refresh first re-reads - tokens replaced meanwhile mean a winner, not a revocation
 * (its access token if fresh, else 503 to retry with them).
 *
 * <p>{@code invalid_grant} for the tokens still stored (revoked, the user removed the app, or the 7-day refresh token of an app still in
 * Testing) ends the session: it can no longer do what it was for, and the user's next sign-in gets a new
 * grant. Any other refresh failure leaves the session alone and is thrown as the provider failure (502/503).
 */
public final class AccessTokens {
    /** How long before its expiry an access token is already renewed. */
    public static final Duration EXPIRY_SKEW = Duration.ofSeconds(60);

    /** Trades a refresh token for new tokens at the provider (its token endpoint). */
    @FunctionalInterface
    public interface Refresher {
        ProviderTokens refresh(String refreshToken);
    }

    /**
     * A usable access token, its expiry, the granted scope and whose it is ({@code sub}, Google's user id).
     * {@link #toString()} redacts the token.
     */
    public record AccessToken(String value, Instant expiresAt, String scope, String sub) {
        @Override
        public String toString() {
            return "AccessToken[redacted, expires " + expiresAt + "]";
        }
    }

    private final Sessions sessions;
    private final SessionStore store;
    private final TokenCipher cipher;
    private final Refresher refresher;

    public AccessTokens(Sessions sessions, SessionStore store, TokenCipher cipher, Refresher refresher) {
        this.sessions = sessions;
        this.store = store;
        this.cipher = cipher;
        this.refresher = refresher;
    }

    /**
     * The session's access token, refreshed first if it has expired. Throws {@link SignInAgainException}
     * when only a new sign-in helps, {@link SignInException} when the provider fails, and
     * {@link StoreUnavailableException} when the store does.
     */
    public AccessToken current(Sessions.SessionId id, Instant now) {
        StoredSession stored = live(id, now);
        SessionTokens tokens = open(id, stored);
        if (tokens.isFreshAt(now, EXPIRY_SKEW)) {
            return token(tokens, stored);
        }
        if (!tokens.hasRefreshToken()) {
            throw new SignInAgainException(Failure.GOOGLE_AUTHORIZATION_ENDED,
                    "access token expired and the session has no refresh token");
        }
        ProviderTokens answer;
        try {
            answer = refresher.refresh(tokens.refreshToken());
        } catch (SignInException e) {
            if (e.failure() != Failure.GOOGLE_AUTHORIZATION_ENDED) {
                throw e;
            }
            return afterRefusal(id, stored, now);
        }
        SessionTokens renewed = tokens.refreshed(answer, now);
        TokenCipher.Sealed sealed = renewed.seal(cipher, id.raw(), id.hash());
        if (store.replaceTokens(id.hash(), stored.sealedTokens(), sealed.keyId(), sealed.ciphertext())) {
            return token(renewed, stored);
        }
        // Lost the race to another refresh (or the session ended): the winner's token if it is fresh, else
        // ours - it is valid, merely not stored.
        return replacedSince(id, stored, now).flatMap(winner -> freshIn(id, winner, now)).orElse(token(renewed, stored));
    }

    /**
     * Google refused {@code token} when it was used (an API answered 401: revoked, or the user removed the
     * app) although it had not expired. It is marked expired in the store - only if it is still the stored
     * one, with the same compare-and-set as a refresh - so the next call refreshes instead of sending it
     * again until its hour is up; a revoked grant then answers {@code invalid_grant} and the session ends.
     * Best effort: a store that does not answer leaves it for its expiry.
     */
    public void rejected(Sessions.SessionId id, AccessToken token, Instant now) {
        try {
            Optional<StoredSession> stored = sessions.peek(id, now).map(Sessions.Active::session);
            Optional<SessionTokens> tokens = stored.flatMap(s -> SessionTokens.open(cipher, id.raw(), s))
                    .filter(t -> token.value().equals(t.accessToken()));
            if (tokens.isPresent()) {
                TokenCipher.Sealed sealed = tokens.get().expiredAt(now).seal(cipher, id.raw(), id.hash());
                store.replaceTokens(id.hash(), stored.get().sealedTokens(), sealed.keyId(), sealed.ciphertext());
            }
        } catch (StoreUnavailableException e) {
            // The token stays until its expiry; each call until then is refused by Google as this one was.
        }
    }

    /** SnapStart priming: the compare-and-set on the priming key, which no item has, and AES-GCM. */
    public void prime(SnapStartPriming priming, Instant now) {
        store.prime(priming, SessionStore.PrimingCall.REPLACE_TOKENS, now);
        sessions.primeTokens(priming);
    }

    private StoredSession live(Sessions.SessionId id, Instant now) {
        return sessions.peek(id, now).map(Sessions.Active::session).orElseThrow(
                () -> new SignInAgainException(Failure.NOT_AUTHENTICATED, "session unknown, ended or expired"));
    }

    private SessionTokens open(Sessions.SessionId id, StoredSession stored) {
        return SessionTokens.open(cipher, id.raw(), stored).orElseThrow(() -> new SignInAgainException(
                Failure.GOOGLE_AUTHORIZATION_ENDED, "the session's tokens do not open (key retired)"));
    }

    /**
     * Google refused the refresh token this request read. The grant is over only if the stored tokens are
     * still exactly those: then the session ends. Otherwise another request replaced them meanwhile (its
     * refresh won, and a provider that rotates refresh tokens refuses the old one) - nothing says the
     * session's grant is gone: its access token if it is fresh, else a 503 whose retry refreshes with the
     * tokens stored now.
     */
    private AccessToken afterRefusal(Sessions.SessionId id, StoredSession before, Instant now) {
        Optional<StoredSession> winner = replacedSince(id, before, now);
        if (winner.isEmpty()) {
            throw endSession(id);
        }
        return freshIn(id, winner.get(), now).orElseThrow(() -> new SignInException(Failure.PROVIDER_UNAVAILABLE,
                "refresh token refused after another request replaced the tokens; not ended, retry"));
    }

    /** The session as stored now if another request replaced its tokens after {@code before} was read; throws if it ended. */
    private Optional<StoredSession> replacedSince(Sessions.SessionId id, StoredSession before, Instant now) {
        StoredSession after = live(id, now);
        return java.util.Arrays.equals(after.sealedTokens(), before.sealedTokens()) ? Optional.empty()
                : Optional.of(after);
    }

    /** The access token {@code session} holds, if it is still good at {@code now}. */
    private Optional<AccessToken> freshIn(Sessions.SessionId id, StoredSession session, Instant now) {
        return SessionTokens.open(cipher, id.raw(), session).filter(t -> t.isFreshAt(now, EXPIRY_SKEW))
                .map(t -> token(t, session));
    }

    private SignInAgainException endSession(Sessions.SessionId id) {
        sessions.end(id);
        return new SignInAgainException(Failure.GOOGLE_AUTHORIZATION_ENDED,
                "refresh token refused (invalid_grant); session ended");
    }

    private static AccessToken token(SessionTokens tokens, StoredSession session) {
        return new AccessToken(tokens.accessToken(), tokens.accessTokenExpiresAt(), tokens.scope(), session.sub());
    }
}
