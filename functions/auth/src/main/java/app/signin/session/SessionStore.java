package app.signin.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import app.signin.snapstart.SnapStartPriming;

/**
 * Server-side storage for sessions and pending logins. Implementations: DynamoDB for Lambda, in memory for
 * the local runner; both pass the same contract test.
 *
 * <p>Every method may throw {@link StoreUnavailableException} when the store cannot answer (throttled,
 * slow, unreachable); no method ever reports a missing item that way.
 */
public interface SessionStore {

    /**
     * Saves a pending login; it expires (and is refused) at its {@code expiresAt}. Fails with
     * {@link IllegalStateException} rather than overwrite a pending login with the same state hash. Finding
     * exactly this login already saved is success: it is a retried write whose first attempt was applied.
     */
    void putPendingLogin(PendingLogin login);

    /**
     * Atomically removes and returns the pending login: of two concurrent calls with the same hash, exactly
     * one gets it. Returns the item even when expired; the caller checks expiry against its clock.
     */
    Optional<PendingLogin> takePendingLogin(String stateHash);

    /**
     * Stores a new session; fails with {@link IllegalStateException} rather than overwrite an existing id.
     * Finding exactly this session already saved is success (a retried write whose first attempt was applied).
     */
    void putSession(StoredSession session);

    /** A strongly consistent read: a session written just before is always seen. */
    Optional<StoredSession> getSession(String idHash);

    /** Removes the session and returns what it held, if it existed. */
    Optional<StoredSession> deleteSession(String idHash);

    /** Records activity and moves the expiry; does nothing if the session is gone. */
    void touchSession(String idHash, Instant lastSeenAt, Instant expiresAt);

    /**
     * Replaces a session's sealed tokens if they are still {@code expectedSealed} - a compare-and-set on the
     * ciphertext, which a fresh IV makes unique per write. Returns false, changing nothing, when the session
     * is gone or another writer replaced the tokens first: of two concurrent refreshes exactly one stores its
     * result, and the other reads the winner's.
     */
    boolean replaceTokens(String idHash, byte[] expectedSealed, String tokenKeyId, byte[] sealedTokens);

    /**
     * The sessions of the user with this {@code sub}, newest first, from the user index: never a scan.
     * Expired ones are included for the caller to judge, and on DynamoDB the index is eventually
     * consistent - a session put a moment ago may be missing, one deleted a moment ago may still show.
     */
    List<SessionSummary> sessionsOf(String sub);

    /**
     * The id hashes of the sessions whose e-mail address is {@code email} (compared case-insensitively),
     * from the e-mail index: for operators who name a user by address. Eventually consistent, like
     * {@link #sessionsOf}.
     */
    List<String> sessionIdsWithEmail(String email);

    /** Cheap reachability probe for health checks; throws {@link StoreUnavailableException} if unreachable. */
    void checkReachable();

    /** The store calls SnapStart priming may make: each is one action a function's IAM role allows. */
    enum PrimingCall {
        READ_SESSION, END_SESSION, SAVE_LOGIN, TAKE_LOGIN,
        /** The token refresh's compare-and-set: conditional on an item that never exists, so nothing is written. */
        REPLACE_TOKENS,
        /** A Query on the user index ({@link #sessionsOf}). */
        LIST_USER_SESSIONS,
        /** A Query on the e-mail index ({@link #sessionIdsWithEmail}). */
        FIND_BY_EMAIL
    }

    /**
     * SnapStart priming: makes {@code call} on {@link app.signin.snapstart.SnapStartPriming#PRIMING_KEY}, so
     * the client's whole request path is loaded before the snapshot; {@code now} is the snapshot's time (a
     * write is born expired just before it). A store without a client has nothing to prime.
     */
    default void prime(PrimingCall call, Instant now) {
    }

    /**
     * SnapStart priming of {@code call}: made once for real (a step: the one call the function's role
     * allows), then repeated on the twin ({@link #warm}) once every step has run, within priming's warming
     * budget - never again for real.
     */
    default void prime(SnapStartPriming priming, PrimingCall call, Instant now) {
        priming.step("session store", () -> prime(call, now));
        priming.warm("session store twin", SnapStartPriming.JIT_ROUNDS, () -> warm(call, now));
    }

    /**
     * SnapStart priming's warming: the code path of {@code call} (for {@link PrimingCall#TAKE_LOGIN} also the
     * callback's next call, the new session's put) run again on a twin of the client that reaches no one,
     * so the JIT compiles it before the snapshot. Nothing reaches the store; a store without a client has
     * nothing to warm.
     */
    default void warm(PrimingCall call, Instant now) {
    }
}
