package app.signin.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import app.signin.crypto.CookieCodec;
import app.signin.crypto.Keyring;
import app.signin.crypto.RandomTokens;
import app.signin.crypto.TokenCipher;
import app.signin.oidc.AccessPolicy;
import app.signin.oidc.Identity;
import app.signin.oidc.ProviderTokens;
import app.signin.snapstart.SnapStartPriming;

/**
 * Creates, resolves and ends sessions. The cookie carries only the signed random session id; the store
 * is keyed by its hash and holds the user and the sealed Google tokens.
 *
 * <p>Lifetime: a session ends at {@code createdAt + maxAge} whatever happens, and earlier after
 * {@code idleTimeout} without a request. Activity moves the idle deadline with at most one write per
 * {@link #refreshInterval()} per session, so a busy user costs a write every few minutes, not per request.
 *
 * <p>Access: the {@link AccessPolicy} that admitted the user at login is asked again on every read, so a
 * session whose user the allow-list no longer admits stops working on its next request.
 *
 * <p>A user has at most {@value #MAX_LIVE_PER_USER} live sessions: a login beyond that ends the oldest, so a
 * list of sessions stays short enough to read and a script logging in in a loop cannot grow one user's
 * index key without bound.
 */
public final class Sessions {
    static final Duration MAX_REFRESH_INTERVAL = Duration.ofMinutes(5);
    public static final int MAX_LIVE_PER_USER = 20;

    private final SessionStore store;
    private final CookieCodec codec;
    private final TokenCipher cipher;
    private final RandomTokens random;
    private final Keyring keyring;
    private final AccessPolicy policy;
    private final Duration idleTimeout;
    /** {@link #refreshInterval()}, computed once: Duration.dividedBy divides BigDecimals, on every lookup. */
    private final Duration refreshInterval;
    private final Duration maxAge;

    public Sessions(SessionStore store, CookieCodec codec, TokenCipher cipher, RandomTokens random, Keyring keyring,
            AccessPolicy policy, Duration idleTimeout, Duration maxAge) {
        this.store = store;
        this.codec = codec;
        this.cipher = cipher;
        this.random = random;
        this.keyring = keyring;
        this.policy = policy;
        this.idleTimeout = idleTimeout;
        Duration quarter = idleTimeout.dividedBy(4);
        this.refreshInterval = quarter.compareTo(MAX_REFRESH_INTERVAL) < 0 ? quarter : MAX_REFRESH_INTERVAL;
        this.maxAge = maxAge;
    }

    /** A session resolved from a valid cookie: the raw id (needed to open the tokens) and the stored item. */
    public record Active(String rawId, StoredSession session) {
        public SessionId id() {
            return new SessionId(rawId, session.idHash());
        }

        @Override
        public String toString() {
            return "Active[" + session.idHash() + "]";
        }
    }

    /** A new session and the signed cookie value that names it. */
    public record Started(String cookieValue, StoredSession session) {
        @Override
        public String toString() {
            return "Started[" + session.idHash() + "]";
        }
    }

    /**
     * Creates a brand-new session with a fresh random id; an id the browser sent is never reused. The
     * identity is a verified one, so its e-mail address is verified (the ID token check refuses others).
     */
    public Started start(String cookieName, Identity identity, ProviderTokens tokens, Instant now) {
        return start(cookieName, identity, tokens, null, Optional.empty(), now);
    }

    /**
     * As {@link #start(String, Identity, ProviderTokens, Instant)}, recording the device the login came from
     * ({@link DeviceDescription}), then ending the user's oldest live sessions beyond
     * {@value #MAX_LIVE_PER_USER}. {@code replaced} is the session the browser's verified cookie named,
     * already ended ({@link #end(SentCookie)} returns it): when the exchange brought no refresh token, that
     * session's refresh token is carried over - see {@link #carriedRefreshToken}.
     */
    public Started start(String cookieName, Identity identity, ProviderTokens tokens, String device,
            Optional<Active> replaced, Instant now) {
        String rawId = random.next();
        String idHash = RandomTokens.hash(rawId);
        SessionTokens received = SessionTokens.of(tokens, now);
        SessionTokens kept = received.hasRefreshToken() ? received
                : replaced.flatMap(old -> carriedRefreshToken(old, identity, now)).map(received::withRefreshToken)
                        .orElse(received);
        TokenCipher.Sealed sealed = kept.seal(cipher, rawId, idHash);
        StoredSession session = new StoredSession(idHash, identity.sub(), identity.email(), true,
                identity.hostedDomain(), identity.name(),
                identity.picture(), now, now, expiry(now, now), sealed.keyId(), sealed.ciphertext(), device);
        store.putSession(session);
        endOldestBeyondLimit(session, now);
        return new Started(codec.sign(cookieName, rawId), session);
    }

    /**
     * After the put, so that two logins racing each see the other's session (the index permitting). The
     * index is eventually consistent and may not list the new session yet: it is counted all the same and
     * is never the one ended. The ended sessions' Google tokens cannot be revoked - they are sealed under
     * ids only those sessions' cookies hold - but deleting the item destroys the only copy of them.
     * Best effort: if the store fails here the login stands, and the next one trims the list.
     */
    private void endOldestBeyondLimit(StoredSession started, Instant now) {
        try {
            List<SessionSummary> live = new ArrayList<>();
            for (SessionSummary s : store.sessionsOf(started.sub())) {
                if (!s.idHash().equals(started.idHash()) && isLive(s, now)) {
                    live.add(s);
                }
            }
            // sessionsOf is newest first; the new session takes one of the places.
            for (SessionSummary oldest : live.subList(Math.min(live.size(), MAX_LIVE_PER_USER - 1), live.size())) {
                store.deleteSession(oldest.idHash());
            }
        } catch (StoreUnavailableException e) {
            // The list is one session too long until the next login; the session just started is unaffected.
        }
    }

    /**
     * True while neither deadline of a listed session has passed - the lifetime rule {@link #resolve}
     * applies. (The access policy is applied to the session making a request; the list is its user's own.)
     */
    public boolean isLive(SessionSummary s, Instant now) {
        return !isOver(s.createdAt(), s.lastSeenAt(), s.expiresAt(), now);
    }

    /**
     * Google sends a refresh token only on consent, and {@code LoginStarter} skips the consent screen when the
     * browser's current session already holds one - so that one must survive the new sign-in, or the new
     * session could not renew its access token an hour later. Only from a session that was live and admitted
     * when it was replaced (what {@link #hasRefreshToken} judged), and only for the same Google user: someone
     * else's session cookie in this browser (a shared computer, a planted cookie) never hands its grant on.
     */
    private Optional<String> carriedRefreshToken(Active replaced, Identity identity, Instant now) {
        StoredSession old = replaced.session();
        if (!old.sub().equals(identity.sub()) || isOver(old, now) || !isAdmitted(old)) {
            return Optional.empty();
        }
        return SessionTokens.open(cipher, replaced.rawId(), old).filter(SessionTokens::hasRefreshToken)
                .map(SessionTokens::refreshToken);
    }

    /** A session id taken from a cookie whose signature verified: the raw id and its hash (the store key). */
    public record SessionId(String raw, String hash) {
        @Override
        public String toString() {
            return "SessionId[" + hash + "]";
        }
    }

    /**
     * The session id a request's cookie carries, if its signature verifies. No store call: a forged or
     * tampered cookie is rejected here, before DynamoDB is ever asked.
     */
    public Optional<SessionId> idFromCookie(String cookieName, List<String> cookieValues) {
        return verifiedId(cookieName, cookieValues).map(raw -> new SessionId(raw, RandomTokens.hash(raw)));
    }

    /**
     * The live session for a verified id: the item exists, neither deadline has passed, and the access
     * policy still admits its user.
     */
    public Optional<Active> resolve(SessionId id, Instant now) {
        Optional<StoredSession> stored = peek(id, now).map(Active::session);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        StoredSession session = stored.get();
        if (!now.isBefore(session.lastSeenAt().plus(refreshInterval()))) {
            Instant newExpiry = expiry(session.createdAt(), now);
            try {
                store.touchSession(id.hash(), now, newExpiry);
                session = session.touched(now, newExpiry);
            } catch (StoreUnavailableException e) {
                // The read succeeded, so the user is signed in; the refresh is retried on the next request.
            }
        }
        return Optional.of(new Active(id.raw(), session));
    }

    /**
     * The live session for a verified id, as {@link #resolve} judges it, but without recording activity: for
     * calls the authorizer has just let through (it did the sliding refresh), so they need no write.
     */
    public Optional<Active> peek(SessionId id, Instant now) {
        return store.getSession(id.hash()).filter(s -> !isOver(s, now) && isAdmitted(s))
                .map(s -> new Active(id.raw(), s));
    }

    /**
     * Whether the browser's current session (if the cookie names a live one) holds a Google refresh token.
     * Read without recording activity. A store that does not answer counts as "no": the caller then asks
     * Google for consent once more, which costs the user a click, never access.
     */
    public boolean hasRefreshToken(SentCookie cookie, Instant now) {
        try {
            return idFromCookie(cookie.name(), cookie.values()).flatMap(id -> peek(id, now))
                    .flatMap(active -> SessionTokens.open(cipher, active.rawId(), active.session()))
                    .map(SessionTokens::hasRefreshToken).orElse(false);
        } catch (StoreUnavailableException e) {
            return false;
        }
    }

    /**
     * What a request's session cookie amounts to: the cookie's name on this origin, whether the browser sent
     * one, and the live session if any. Signed-in means a cookie whose MAC verifies and a stored session
     * whose deadlines have not passed.
     */
    public record Lookup(String cookieName, boolean cookieSent, boolean cookieVerified, Optional<Active> active) {
        /** Why there is no session, for logs; null when there is one. */
        public String whyNot() {
            if (active.isPresent()) {
                return null;
            }
            return !cookieSent ? "no session cookie" : !cookieVerified ? "session cookie does not verify"
                    : "session unknown, ended, expired or no longer admitted";
        }
    }

    /**
     * The one way every request is checked for a session - the index page, pages that require login and the
     * API authorizer all call this, so they cannot disagree. May throw {@link StoreUnavailableException}.
     */
    public Lookup lookup(SentCookie cookie, Instant now) {
        Optional<SessionId> id = idFromCookie(cookie.name(), cookie.values());
        Optional<Active> active = id.isPresent() ? resolve(id.get(), now) : Optional.empty();
        return new Lookup(cookie.name(), cookie.sent(), id.isPresent(), active);
    }

    /** Deletes the session and returns what it held, for token revocation. */
    public Optional<Active> end(SessionId id) {
        return store.deleteSession(id.hash()).map(s -> new Active(id.raw(), s));
    }

    /** Convenience: {@link #idFromCookie} then {@link #end(SessionId)}. */
    public Optional<Active> end(SentCookie cookie) {
        return idFromCookie(cookie.name(), cookie.values()).flatMap(this::end);
    }

    /** The token to revoke for an ended session, if its sealed tokens still open. */
    public Optional<String> revocableToken(Active active) {
        return SessionTokens.open(cipher, active.rawId(), active.session()).map(SessionTokens::revocable);
    }

    /** A CSRF token for forms that act on this session (the Sign out button). */
    public String csrfToken(SessionId id) {
        return csrfToken(keyring.current(), id.hash());
    }

    /** Constant-time check of a submitted CSRF token against every configured key. */
    public boolean csrfMatches(SessionId id, String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        byte[] given = token.getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (Keyring.Key key : keyring.all()) {
            match |= MessageDigest.isEqual(csrfToken(key, id.hash()).getBytes(StandardCharsets.US_ASCII), given);
        }
        return match;
    }

    /**
     * How long the browser keeps the session cookie: the absolute lifetime. The idle deadline is enforced
     * by the server alone, so that activity can extend it without re-sending the cookie.
     */
    public Duration cookieLifetime() {
        return maxAge;
    }

    /** At most one store write per session per this interval: a quarter of the idle timeout, at most 5 minutes. */
    public Duration refreshInterval() {
        return refreshInterval;
    }

    private boolean isOver(StoredSession s, Instant now) {
        return isOver(s.createdAt(), s.lastSeenAt(), s.expiresAt(), now);
    }

    private boolean isOver(Instant createdAt, Instant lastSeenAt, Instant expiresAt, Instant now) {
        return !now.isBefore(expiresAt)
                || !now.isBefore(createdAt.plus(maxAge))
                || !now.isBefore(lastSeenAt.plus(idleTimeout));
    }

    /** The e-mail address must be verified and on the allow-list as it is configured now, not at login. */
    private boolean isAdmitted(StoredSession s) {
        return s.emailVerified() && policy.refusal(s.email(), s.hostedDomain()).isEmpty();
    }

    private Instant expiry(Instant createdAt, Instant lastSeen) {
        Instant absolute = createdAt.plus(maxAge);
        Instant idle = lastSeen.plus(idleTimeout);
        return absolute.isBefore(idle) ? absolute : idle;
    }

    /**
     * The id of the one session cookie sent, if its signature verifies. A browser never sends a
     * {@code __Host-} cookie twice for one host (one name, no Domain, Path=/), so two values - even two
     * equal ones - mean a hand-made request or a planted cookie beside the real one: ambiguous, so no
     * session. "Exactly one" is also easier to audit than any rule for picking among several. (With
     * {@code COOKIE_DOMAIN} the {@code __Secure-} cookie has no such guarantee: any host under the domain
     * can add a copy, and this rule then signs the browser out rather than guess - see CookiePolicy.)
     */
    private Optional<String> verifiedId(String cookieName, List<String> values) {
        if (values.size() != 1) {
            return Optional.empty();
        }
        return codec.verify(cookieName, values.getFirst()).filter(RandomTokens::isWellFormed);
    }

    /**
     * SnapStart priming: the cookie MAC on a cookie that does not verify, the CSRF MAC, and {@code call}, the
     * store call this function makes for sessions, at {@code now}; the MACs then repeated, to warm the JIT.
     */
    public void prime(SnapStartPriming priming, SessionStore.PrimingCall call, Instant now) {
        Runnable macs = () -> {
            idFromCookie("__Host-session", List.of("v1.AAAAAAAA.AAAA.AAAA"));
            csrfToken(new SessionId(SnapStartPriming.PRIMING_KEY, SnapStartPriming.PRIMING_KEY));
        };
        priming.step("cookie MACs", macs);
        priming.warm("cookie MACs", SnapStartPriming.JIT_ROUNDS, macs);
        primeStore(priming, call, now);
    }

    /**
     * SnapStart priming: sessions started on a throwaway copy (its own random id, AES-GCM seal, cookie MAC),
     * repeated to warm the JIT - the callback's last step, which priming cannot reach through a real callback.
     */
    public void primeStart(SnapStartPriming priming, SessionStore throwawayStore) {
        priming.step("session start", () -> {
            Sessions copy = onThrowaways(throwawayStore, new SecureRandom());
            Identity who = new Identity(SnapStartPriming.PRIMING_KEY, "priming@priming.invalid", "Priming", null, null);
            ProviderTokens tokens = new ProviderTokens(null, "priming-access", "priming-refresh");
            Runnable start = () -> copy.start("__Host-session", who, tokens, Instant.now());
            start.run();
            priming.warm("session start", SnapStartPriming.JIT_ROUNDS, start);
        });
    }

    /** SnapStart priming of one more store call this function makes for sessions (see {@link #prime}). */
    public void primeStore(SnapStartPriming priming, SessionStore.PrimingCall call, Instant now) {
        store.prime(priming, call, now);
    }

    /**
     * The same sessions over another store and random source, admitting whoever signs in: SnapStart priming
     * runs signed-in requests on such a copy, so nothing is drawn from the application's random source and
     * nothing reaches the real store.
     */
    public Sessions onThrowaways(SessionStore otherStore, SecureRandom otherRandom) {
        return new Sessions(otherStore, codec, new TokenCipher(keyring, otherRandom), new RandomTokens(otherRandom),
                keyring, new AccessPolicy(Set.of(), Set.of()), idleTimeout, maxAge);
    }

    /** SnapStart priming: AES-GCM and the per-session key derivation, on a sealed blob that does not open. */
    public void primeTokens(SnapStartPriming priming) {
        priming.step("token sealing", () -> cipher.open(new TokenCipher.Sealed(keyring.current().id(), new byte[48]),
                SnapStartPriming.PRIMING_KEY, SnapStartPriming.PRIMING_KEY));
    }

    private static String csrfToken(Keyring.Key key, String idHash) {
        return RandomTokens.base64Url(key.macCsrf(("logout\n" + idHash).getBytes(StandardCharsets.US_ASCII)));
    }
}
