package app.signin.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import app.signin.crypto.Keyring;
import app.signin.crypto.RandomTokens;
import app.signin.snapstart.SnapStartPriming;

/**
 * A user's sessions as a set: the list for {@code /sessions}, finding one of them by its handle, deleting
 * all of them ("Sign out everywhere", an operator's call). Values in, values out. What ending means beyond
 * the delete - the CSRF check, revocation, the metric - is {@code login.SignOut}'s; HTTP is the handlers'.
 *
 * <p>A session is named outside the server by a <em>handle</em>: base64url of the first 16 bytes of
 * HMAC-SHA256(handle key, id hash). It is not the cookie's secret (the raw id) and not the store key (the id
 * hash); without the server key nobody can compute it, and from it nobody can compute either - so it cannot
 * become a cookie. It ends a session only for that session's owner, because ending looks it up among the
 * signed-in user's own sessions and nowhere else.
 *
 * <p>Revocation: a session's Google tokens are sealed under a key derived from its raw id, which only its
 * cookie holds. Ending the current session revokes its token (as logout does); another session's tokens
 * cannot be opened, but the delete destroys the only copy of them. Google ends the whole grant on
 * revocation, so "Sign out everywhere", which revokes the current session's token, reaches them too.
 */
public final class UserSessions {
    /** 128 bits: unguessable, and a shape ({@value} bytes, 22 characters) that no session id or token has. */
    static final int HANDLE_BYTES = 16;

    private final SessionStore store;
    private final Sessions sessions;
    private final Keyring keyring;

    public UserSessions(SessionStore store, Sessions sessions, Keyring keyring) {
        this.store = store;
        this.sessions = sessions;
        this.keyring = keyring;
    }

    /**
     * How many sessions a sweep has deleted so far, counted as each delete succeeds: when the store fails
     * half-way, the caller still knows (and counts, and reports) the ones already ended.
     */
    public static final class Tally {
        private int ended;

        public int ended() {
            return ended;
        }
    }

    /** One row of the list: what {@code /sessions} and {@code /api/sessions} show. {@code device} may be null. */
    public record Listed(String handle, boolean current, Instant createdAt, Instant lastSeenAt, String device) {
    }

    /**
     * SnapStart priming: a handle made and compared (HMAC, constant-time check) for the priming key, and
     * {@code call}, the index Query this function makes, on the priming key's index key (which lists nothing).
     */
    public void prime(SnapStartPriming priming, SessionStore.PrimingCall call, Instant now) {
        priming.step("session handles", () -> matches(SnapStartPriming.PRIMING_KEY,
                handle(keyring.current(), SnapStartPriming.PRIMING_KEY)));
        priming.step("user index", () -> store.prime(call, now));
        priming.warm("user index twin", SnapStartPriming.JIT_ROUNDS, () -> store.warm(call, now));
    }

    /**
     * SnapStart priming for the list ({@code /sessions}, {@code /api/sessions}): the current session's read, then
     * {@link #prime} with the index Query the list makes.
     */
    public void primeList(SnapStartPriming priming, Instant now) {
        sessions.prime(priming, SessionStore.PrimingCall.READ_SESSION, now);
        prime(priming, SessionStore.PrimingCall.LIST_USER_SESSIONS, now);
    }

    /** True for a string of the shape handles have; anything else is a malformed request, not a lookup. */
    public static boolean isWellFormedHandle(String handle) {
        return RandomTokens.isBase64Url(handle, 22);
    }

    /** The user's live sessions, newest first, the current one marked. One Query; no item is read. */
    public List<Listed> list(Sessions.Active current, Instant now) {
        List<Listed> listed = new ArrayList<>();
        for (SessionSummary s : liveSessions(current, now)) {
            boolean isCurrent = s.idHash().equals(current.session().idHash());
            // The current session's own item was just read: its last use is fresher than the index's copy.
            Instant lastSeen = isCurrent ? current.session().lastSeenAt() : s.lastSeenAt();
            listed.add(new Listed(handle(keyring.current(), s.idHash()), isCurrent, s.createdAt(), lastSeen,
                    s.device()));
        }
        return listed;
    }

    /**
     * The signed-in user's live session with this handle, if the user has one. Another user's handle, or one
     * that was never issued, finds nothing: only {@code current}'s own sessions are searched.
     */
    public Optional<SessionSummary> find(Sessions.Active current, String handle, Instant now) {
        if (!isWellFormedHandle(handle)) {
            return Optional.empty();
        }
        Optional<SessionSummary> match = Optional.empty();
        for (SessionSummary s : liveSessions(current, now)) {
            // Every candidate and every key is compared, in constant time, whether or not one matched already.
            if (matches(s.idHash(), handle) && match.isEmpty()) {
                match = Optional.of(s);
            }
        }
        return match;
    }

    /**
     * The other sessions of the user whose live session this is, deleted - for "Sign out everywhere", which
     * ends the current one itself afterwards (so a failure half-way leaves this browser signed in to try
     * again). Nothing when the session is not live. Each delete is counted in {@code tally} as it succeeds.
     */
    public void deleteOthers(Sessions.SessionId current, Instant now, Tally tally) {
        Optional<StoredSession> me = sessions.peek(current, now).map(Sessions.Active::session);
        if (me.isPresent()) {
            sweep(() -> idHashes(store.sessionsOf(me.get().sub())), current.hash(), tally);
        }
    }

    /**
     * Deletes every session of the user with this {@code sub}, expired ones included (dead already; this is
     * TTL's work done early). Each delete is counted in {@code tally} as it succeeds.
     */
    public void deleteAllOf(String sub, Tally tally) {
        sweep(() -> idHashes(store.sessionsOf(sub)), null, tally);
    }

    /** Deletes every session carrying this e-mail address (case-insensitive), for operators; as {@link #deleteAllOf}. */
    public void deleteAllWithEmail(String email, Tally tally) {
        sweep(() -> store.sessionIdsWithEmail(email), null, tally);
    }

    /** Deletes one session found by {@link #find}; true if it was still there. */
    public boolean delete(SessionSummary session) {
        return store.deleteSession(session.idHash()).isPresent();
    }

    /**
     * Deletes every session the index lists, except {@code kept}; then asks the index once more and deletes
     * what it lists now and did not before. The index is eventually consistent: a session started moments
     * before the first Query may be missing from it, and would survive a single pass. The second pass narrows
     * that window to the index's lag behind the second Query (README "Operating it"); it is one pass, not a
     * loop until empty, so a user signing in again and again cannot keep the call running.
     */
    private void sweep(Supplier<List<String>> listed, String kept, Tally tally) {
        Set<String> seen = new HashSet<>();
        if (kept != null) {
            seen.add(kept);
        }
        for (int pass = 0; pass < 2; pass++) {
            for (String idHash : listed.get()) {
                if (seen.add(idHash) && store.deleteSession(idHash).isPresent()) {
                    tally.ended++;
                }
            }
        }
    }

    private static List<String> idHashes(List<SessionSummary> summaries) {
        List<String> ids = new ArrayList<>(summaries.size());
        for (SessionSummary s : summaries) {
            ids.add(s.idHash());
        }
        return ids;
    }

    /**
     * The live sessions of the current user, newest first. The index is eventually consistent: the current
     * session is put in its place if the index does not list it yet.
     */
    private List<SessionSummary> liveSessions(Sessions.Active current, Instant now) {
        StoredSession me = current.session();
        List<SessionSummary> live = new ArrayList<>();
        boolean sawCurrent = false;
        for (SessionSummary s : store.sessionsOf(me.sub())) {
            sawCurrent |= s.idHash().equals(me.idHash());
            if (sessions.isLive(s, now) || s.idHash().equals(me.idHash())) {
                live.add(s);
            }
        }
        if (!sawCurrent) {
            live.add(new SessionSummary(me.idHash(), me.createdAt(), me.lastSeenAt(), me.expiresAt(), me.device()));
            live.sort((a, b) -> b.createdAt().compareTo(a.createdAt()));
        }
        return live;
    }

    private boolean matches(String idHash, String handle) {
        byte[] given = handle.getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (Keyring.Key key : keyring.all()) {
            match |= MessageDigest.isEqual(handle(key, idHash).getBytes(StandardCharsets.US_ASCII), given);
        }
        return match;
    }

    private static String handle(Keyring.Key key, String idHash) {
        byte[] mac = key.macHandle(("session-handle\n" + idHash).getBytes(StandardCharsets.US_ASCII));
        return RandomTokens.base64Url(Arrays.copyOf(mac, HANDLE_BYTES));
    }
}
