package app.signin.store;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import app.signin.session.PendingLogin;
import app.signin.session.SessionStore;
import app.signin.session.SessionSummary;
import app.signin.session.StoredSession;

/**
 * A store in this process's memory, for the local runner when no DynamoDB endpoint is given. It honours
 * the same contract as {@link DynamoDbSessionStore}, including atomic single-use pending logins; it is
 * never used on Lambda, where each container would see a different store.
 */
public final class InMemorySessionStore implements SessionStore {
    private final ConcurrentMap<String, PendingLogin> logins = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, StoredSession> sessions = new ConcurrentHashMap<>();

    @Override
    public void putPendingLogin(PendingLogin login) {
        PendingLogin existing = logins.putIfAbsent(login.stateHash(), login);
        if (existing != null && !existing.equals(login)) {
            throw new IllegalStateException("a pending login with this state already exists");
        }
    }

    @Override
    public Optional<PendingLogin> takePendingLogin(String stateHash) {
        return Optional.ofNullable(logins.remove(stateHash));
    }

    @Override
    public void putSession(StoredSession session) {
        StoredSession existing = sessions.putIfAbsent(session.idHash(), session);
        if (existing != null && !existing.equals(session)) {
            throw new IllegalStateException("a session with this id already exists");
        }
    }

    @Override
    public Optional<StoredSession> getSession(String idHash) {
        return Optional.ofNullable(sessions.get(idHash));
    }

    @Override
    public Optional<StoredSession> deleteSession(String idHash) {
        return Optional.ofNullable(sessions.remove(idHash));
    }

    @Override
    public void touchSession(String idHash, Instant lastSeenAt, Instant expiresAt) {
        sessions.computeIfPresent(idHash, (k, s) -> s.touched(lastSeenAt, expiresAt));
    }

    /** A walk over this process's map stands in for the user index; the local runner holds a handful of sessions. */
    @Override
    public List<SessionSummary> sessionsOf(String sub) {
        return sessions.values().stream()
                .filter(s -> s.sub().equals(sub))
                .sorted(Comparator.comparing(StoredSession::createdAt).reversed())
                .map(s -> new SessionSummary(s.idHash(), s.createdAt(), s.lastSeenAt(), s.expiresAt(), s.device()))
                .toList();
    }

    @Override
    public List<String> sessionIdsWithEmail(String email) {
        String wanted = email.strip().toLowerCase(Locale.ROOT);
        return sessions.values().stream()
                .filter(s -> s.email() != null && s.email().toLowerCase(Locale.ROOT).equals(wanted))
                .map(StoredSession::idHash)
                .toList();
    }

    @Override
    public boolean replaceTokens(String idHash, byte[] expectedSealed, String tokenKeyId, byte[] sealedTokens) {
        boolean[] replaced = {false};
        sessions.computeIfPresent(idHash, (k, s) -> {
            if (!java.util.Arrays.equals(s.sealedTokens(), expectedSealed)) {
                return s;
            }
            replaced[0] = true;
            return s.withTokens(tokenKeyId, sealedTokens);
        });
        return replaced[0];
    }

    @Override
    public void checkReachable() {
        // Always reachable: it is this process.
    }

    /** Pending logins held, expired or not (until {@link #purgeExpired}): for the local runner's and tests' eyes. */
    public int pendingLoginCount() {
        return logins.size();
    }

    /** Sessions held, expired or not (until {@link #purgeExpired}). */
    public int sessionCount() {
        return sessions.size();
    }

    /** Drops items whose expiry has passed; the local runner calls it now and then, as TTL would. */
    public void purgeExpired(Instant now) {
        logins.values().removeIf(l -> l.isExpired(now));
        sessions.values().removeIf(s -> s.isExpired(now));
    }
}
