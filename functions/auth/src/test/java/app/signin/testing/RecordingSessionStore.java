package app.signin.testing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import app.signin.session.PendingLogin;
import app.signin.session.SessionStore;
import app.signin.session.SessionSummary;
import app.signin.session.StoreUnavailableException;
import app.signin.session.StoredSession;

/**
 * A real store with a tally in front of it: counts every call by method name and keeps the pending logins
 * it was asked to save. It changes nothing - every call goes to the wrapped store - so tests can prove that
 * a request never reached the store ("no DynamoDB read for a forged cookie") or how often it did. A test may
 * also have something happen right after a call ({@link #afterNext}) - a race at a chosen point - or have
 * the next call of a method fail ({@link #failNext}).
 */
public final class RecordingSessionStore implements SessionStore {
    private final SessionStore delegate;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final List<PendingLogin> pendingLogins = new CopyOnWriteArrayList<>();
    private final Map<String, Runnable> afterNext = new ConcurrentHashMap<>();
    private final Map<String, Boolean> failNext = new ConcurrentHashMap<>();

    public RecordingSessionStore(SessionStore delegate) {
        this.delegate = delegate;
    }

    public SessionStore delegate() {
        return delegate;
    }

    /** Calls of one method ({@code getSession}, {@code putPendingLogin} ...) since the last reset. */
    public int calls(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    /** Calls of every method since the last reset. */
    public int totalCalls() {
        return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public Map<String, Integer> callsByMethod() {
        Map<String, Integer> copy = new TreeMap<>();
        calls.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** Every pending login handed to {@link #putPendingLogin}, in order. */
    public List<PendingLogin> pendingLoginsSaved() {
        return List.copyOf(pendingLogins);
    }

    /**
     * Runs {@code action} once, right after the next call of {@code method} has returned its answer and
     * before the caller sees it - for example another sign-in between a sweep's index Query and its deletes.
     */
    public void afterNext(String method, Runnable action) {
        afterNext.put(method, action);
    }

    /**
     * The next call of {@code method} throws {@link StoreUnavailableException} without reaching the store,
     * as a throttled or failing DynamoDB call would; later calls go through again.
     */
    public void failNext(String method) {
        failNext.put(method, true);
    }

    public void reset() {
        calls.clear();
        pendingLogins.clear();
    }

    private void count(String method) {
        calls.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
        if (failNext.remove(method) != null) {
            throw new StoreUnavailableException(method + " failed (RecordingSessionStore.failNext)", null);
        }
    }

    private <T> T then(String method, T answer) {
        Runnable action = afterNext.remove(method);
        if (action != null) {
            action.run();
        }
        return answer;
    }

    @Override
    public void putPendingLogin(PendingLogin login) {
        count("putPendingLogin");
        delegate.putPendingLogin(login);
        pendingLogins.add(login);
    }

    @Override
    public Optional<PendingLogin> takePendingLogin(String stateHash) {
        count("takePendingLogin");
        return delegate.takePendingLogin(stateHash);
    }

    @Override
    public void putSession(StoredSession session) {
        count("putSession");
        delegate.putSession(session);
    }

    @Override
    public Optional<StoredSession> getSession(String idHash) {
        count("getSession");
        return delegate.getSession(idHash);
    }

    @Override
    public Optional<StoredSession> deleteSession(String idHash) {
        count("deleteSession");
        return then("deleteSession", delegate.deleteSession(idHash));
    }

    @Override
    public void touchSession(String idHash, Instant lastSeenAt, Instant expiresAt) {
        count("touchSession");
        delegate.touchSession(idHash, lastSeenAt, expiresAt);
    }

    @Override
    public boolean replaceTokens(String idHash, byte[] expectedSealed, String tokenKeyId, byte[] sealedTokens) {
        count("replaceTokens");
        return delegate.replaceTokens(idHash, expectedSealed, tokenKeyId, sealedTokens);
    }

    @Override
    public List<SessionSummary> sessionsOf(String sub) {
        count("sessionsOf");
        return then("sessionsOf", delegate.sessionsOf(sub));
    }

    @Override
    public List<String> sessionIdsWithEmail(String email) {
        count("sessionIdsWithEmail");
        return then("sessionIdsWithEmail", delegate.sessionIdsWithEmail(email));
    }

    @Override
    public void checkReachable() {
        count("checkReachable");
        delegate.checkReachable();
    }
}
