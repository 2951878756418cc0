package app.signin.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import app.signin.crypto.CookieCodec;
import app.signin.crypto.RandomTokens;
import app.signin.snapstart.SnapStartPriming;

/**
 * Logins started and not yet finished: the server-side half (state hash, nonce, PKCE verifier, return path)
 * in the store, the browser's half in a signed binding cookie. The login start and the callback both go
 * through here, as sessions go through {@link Sessions}: one class owns an item's cookie, its store calls
 * and its lifetime, so neither step can disagree with the other about any of them.
 *
 * <p>Why server-side state rather than an encrypted cookie alone: a cookie can be replayed, so it cannot
 * make a state single-use, and two callbacks racing with the same code must end in exactly one token
 * exchange. A conditional delete in DynamoDB gives that atomically. The item is keyed by the state's hash
 * and expires after {@link #LIFETIME} (checked in code; TTL cleans up), so 10,000 abandoned logins leave
 * 10,000 short-lived items and nothing else.
 *
 * <p>Why a cookie too: the state alone proves nothing about which browser presents it (login CSRF). The
 * binding cookie carries the state under our MAC, named per login so parallel tabs do not collide.
 */
public final class PendingLogins {
    public static final Duration LIFETIME = Duration.ofMinutes(10);

    private final SessionStore store;
    private final CookieCodec codec;
    private final RandomTokens random;

    public PendingLogins(SessionStore store, CookieCodec codec, RandomTokens random) {
        this.store = store;
        this.codec = codec;
        this.random = random;
    }

    /** A login just begun: the values for the authorization request and the binding cookie to set. */
    public record Begun(String state, String nonce, String codeVerifier, String cookieName, String cookieValue,
            Duration cookieLifetime) {
        @Override
        public String toString() {
            return "Begun[" + cookieName + "]"; // never the state, nonce or verifier
        }
    }

    /** Fresh state, nonce and PKCE verifier, saved server-side, and the cookie that binds them to this browser. */
    public Begun begin(CookieNames names, String returnTo, Instant now) {
        String state = random.next();
        String nonce = random.next();
        String verifier = random.next();
        String stateHash = RandomTokens.hash(state);
        store.putPendingLogin(new PendingLogin(stateHash, nonce, verifier, returnTo, now.plus(LIFETIME)));
        String cookieName = names.login(stateHash);
        return new Begun(state, nonce, verifier, cookieName, codec.sign(cookieName, state), LIFETIME);
    }

    /** Whether the browser's binding cookie carries this state under our MAC. No store call. */
    public boolean isBound(SentCookie binding, String state) {
        for (String value : binding.values()) {
            if (codec.verify(binding.name(), value).filter(state::equals).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Consumes the pending login for this state: of two concurrent calls exactly one can get it, and an
     * expired one is consumed and refused alike.
     */
    public Optional<PendingLogin> take(String state, Instant now) {
        return store.takePendingLogin(RandomTokens.hash(state)).filter(p -> !p.isExpired(now));
    }

    /** The same logins over another store and random source: SnapStart priming's throwaway copy. */
    public PendingLogins over(SessionStore otherStore, RandomTokens otherRandom) {
        return new PendingLogins(otherStore, codec, otherRandom);
    }

    /** SnapStart priming: {@code call}, the store call this function makes for pending logins, at {@code now}. */
    public void prime(SnapStartPriming priming, SessionStore.PrimingCall call, Instant now) {
        store.prime(priming, call, now);
    }
}
