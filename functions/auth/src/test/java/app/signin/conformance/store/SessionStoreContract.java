package app.signin.conformance.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.signin.session.PendingLogin;
import app.signin.session.SessionStore;
import app.signin.session.SessionSummary;
import app.signin.session.StoredSession;

/**
 * What every {@link SessionStore} must do, whatever keeps the items: one suite that the DynamoDB store (on
 * Lambda) and the in-memory store (local runner) both pass, so the runner behaves like production.
 *
 * <p>DynamoDB keeps times as whole epoch seconds, so times are compared at second precision.
 */
abstract class SessionStoreContract {
    /** Races are run this many times: one lucky interleaving proves little. */
    static final int RACE_ROUNDS = 10;
    static final SecureRandom RANDOM = new SecureRandom();

    SessionStore store;
    final Instant now = Instant.now();

    /** A new, empty store for each test. */
    abstract SessionStore newStore();

    /** Releases what {@link #newStore} opened. */
    void closeStore() {
    }

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void releaseStore() {
        closeStore();
    }

    @Test
    void takePendingLogin_returnsWhatWasPut_once() {
        PendingLogin login = login(now.plus(Duration.ofMinutes(10)));
        store.putPendingLogin(login);

        Optional<PendingLogin> taken = store.takePendingLogin(login.stateHash());

        assertThat(taken).isPresent();
        assertSameLogin(taken.get(), login);
        assertThat(store.takePendingLogin(login.stateHash())).isEmpty();
    }

    @Test
    void putPendingLogin_refusesToOverwriteAPendingLoginWithTheSameState() {
        PendingLogin login = login(now.plus(Duration.ofMinutes(10)));
        store.putPendingLogin(login);
        PendingLogin impostor = new PendingLogin(login.stateHash(), "other-nonce", "o".repeat(43), "/elsewhere",
                now.plus(Duration.ofMinutes(10)));

        assertThatThrownBy(() -> store.putPendingLogin(impostor)).isInstanceOf(IllegalStateException.class);
        assertSameLogin(store.takePendingLogin(login.stateHash()).orElseThrow(), login);
    }

    @Test
    void putPendingLogin_findingExactlyThisLoginSaved_isARetriedWrite_andSucceeds() {
        PendingLogin login = login(now.plus(Duration.ofMinutes(10)));
        store.putPendingLogin(login);

        store.putPendingLogin(login);

        assertSameLogin(store.takePendingLogin(login.stateHash()).orElseThrow(), login);
        assertThat(store.takePendingLogin(login.stateHash())).isEmpty();
    }

    @Test
    void takePendingLogin_ofAnUnknownState_isEmpty() {
        assertThat(store.takePendingLogin(hash("never-stored"))).isEmpty();
    }

    @Test
    void takePendingLogin_returnsAnExpiredLoginWithItsStoredExpiry_forTheCallerToJudge() {
        Instant expired = now.minus(Duration.ofMinutes(1));
        PendingLogin login = login(expired);
        store.putPendingLogin(login);

        PendingLogin taken = store.takePendingLogin(login.stateHash()).orElseThrow();

        assertThat(seconds(taken.expiresAt())).isEqualTo(seconds(expired));
        assertThat(taken.isExpired(now)).isTrue();
    }

    @Test
    void takePendingLogin_racedByTwoThreads_isWonByExactlyOne() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < RACE_ROUNDS; round++) {
                PendingLogin login = login(now.plus(Duration.ofMinutes(10)));
                store.putPendingLogin(login);
                CyclicBarrier start = new CyclicBarrier(2);
                Callable<Optional<PendingLogin>> take = () -> {
                    start.await();
                    return store.takePendingLogin(login.stateHash());
                };
                Future<Optional<PendingLogin>> first = threads.submit(take);
                Future<Optional<PendingLogin>> second = threads.submit(take);

                List<Optional<PendingLogin>> results = List.of(first.get(), second.get());

                assertThat(results).as("round %d", round).filteredOn(Optional::isPresent).hasSize(1);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void pendingLoginsAndSessions_withTheSameHash_areDifferentItems() {
        String hash = hash("shared");
        PendingLogin login = new PendingLogin(hash, "nonce", "verifier", "/", now.plus(Duration.ofMinutes(10)));
        store.putPendingLogin(login);
        store.putSession(session(hash, now.plus(Duration.ofHours(1))));

        assertThat(store.takePendingLogin(hash)).isPresent();
        assertThat(store.getSession(hash)).isPresent();
    }

    @Test
    void getSession_seesASessionPutJustBefore_withEveryField() {
        StoredSession session = session(hash("s1"), now.plus(Duration.ofHours(12)));
        store.putSession(session);

        Optional<StoredSession> read = store.getSession(session.idHash());

        assertThat(read).isPresent();
        assertSameSession(read.get(), session);
    }

    @Test
    void getSession_keepsAbsentOptionalFieldsAbsent() {
        StoredSession bare = new StoredSession(hash("bare"), "sub-2", "bob@example.com", true, null, null, null, now, now,
                now.plus(Duration.ofHours(1)), "k1", bytes("sealed"));
        store.putSession(bare);

        StoredSession read = store.getSession(bare.idHash()).orElseThrow();

        assertThat(read.name()).isNull();
        assertThat(read.picture()).isNull();
        assertThat(read.hostedDomain()).isNull();
    }

    @Test
    void getSession_ofAnUnknownId_isEmpty() {
        assertThat(store.getSession(hash("never-stored"))).isEmpty();
    }

    @Test
    void putSession_refusesToOverwriteAnExistingSession() {
        StoredSession session = session(hash("s2"), now.plus(Duration.ofHours(1)));
        store.putSession(session);
        StoredSession impostor = new StoredSession(session.idHash(), "other-sub", "mallory@example.com", true, null, null, null,
                now, now, now.plus(Duration.ofDays(7)), "k1", bytes("other"));

        assertThatThrownBy(() -> store.putSession(impostor)).isInstanceOf(IllegalStateException.class);
        assertSameSession(store.getSession(session.idHash()).orElseThrow(), session);
    }

    @Test
    void putSession_findingExactlyThisSessionSaved_isARetriedWrite_andSucceeds() {
        StoredSession session = session(hash("s2r"), now.plus(Duration.ofHours(1)));
        store.putSession(session);

        store.putSession(session);

        assertSameSession(store.getSession(session.idHash()).orElseThrow(), session);
    }

    @Test
    void deleteSession_returnsWhatItHeld_thenTheSessionIsGone() {
        StoredSession session = session(hash("s3"), now.plus(Duration.ofHours(1)));
        store.putSession(session);

        Optional<StoredSession> deleted = store.deleteSession(session.idHash());

        assertThat(deleted).isPresent();
        assertSameSession(deleted.get(), session);
        assertThat(store.getSession(session.idHash())).isEmpty();
        assertThat(store.deleteSession(session.idHash())).isEmpty();
    }

    @Test
    void touchSession_movesLastSeenAndExpiry_andKeepsTheRest() {
        StoredSession session = session(hash("s4"), now.plus(Duration.ofHours(1)));
        store.putSession(session);
        Instant seen = now.plus(Duration.ofMinutes(30));
        Instant expires = now.plus(Duration.ofHours(2));

        store.touchSession(session.idHash(), seen, expires);

        StoredSession read = store.getSession(session.idHash()).orElseThrow();
        assertThat(seconds(read.lastSeenAt())).isEqualTo(seconds(seen));
        assertThat(seconds(read.expiresAt())).isEqualTo(seconds(expires));
        assertSameSession(read, session.touched(seen, expires));
    }

    @Test
    void touchSession_ofAMissingSession_doesNothing_andNeverRecreatesIt() {
        StoredSession session = session(hash("s5"), now.plus(Duration.ofHours(1)));
        store.putSession(session);
        store.deleteSession(session.idHash());

        store.touchSession(session.idHash(), now, now.plus(Duration.ofHours(12)));
        store.touchSession(hash("never-stored"), now, now.plus(Duration.ofHours(12)));

        assertThat(store.getSession(session.idHash())).isEmpty();
        assertThat(store.getSession(hash("never-stored"))).isEmpty();
    }

    @Test
    void replaceTokens_whenTheyAreStillTheExpectedOnes_replacesThem_andKeepsTheRest() {
        StoredSession session = session(hash("tokens"), now.plus(Duration.ofHours(1)));
        store.putSession(session);

        boolean replaced = store.replaceTokens(session.idHash(), session.sealedTokens(), "k2", bytes("refreshed"));

        assertThat(replaced).isTrue();
        StoredSession after = store.getSession(session.idHash()).orElseThrow();
        assertThat(after.sealedTokens()).isEqualTo(bytes("refreshed"));
        assertThat(after.tokenKeyId()).isEqualTo("k2");
        assertSameSession(after.withTokens(session.tokenKeyId(), session.sealedTokens()), session);
    }

    @Test
    void replaceTokens_afterAnotherWriterReplacedThem_changesNothing() {
        StoredSession session = session(hash("tokens"), now.plus(Duration.ofHours(1)));
        store.putSession(session);
        assertThat(store.replaceTokens(session.idHash(), session.sealedTokens(), "k1", bytes("winner"))).isTrue();

        boolean replaced = store.replaceTokens(session.idHash(), session.sealedTokens(), "k1", bytes("loser"));

        assertThat(replaced).isFalse();
        assertThat(store.getSession(session.idHash()).orElseThrow().sealedTokens()).isEqualTo(bytes("winner"));
    }

    @Test
    void replaceTokens_ofAMissingSession_changesNothing_andNeverRecreatesIt() {
        String idHash = hash("gone");

        assertThat(store.replaceTokens(idHash, bytes("old"), "k1", bytes("new"))).isFalse();

        assertThat(store.getSession(idHash)).isEmpty();
    }

    @Test
    void getSession_returnsTheDeviceRecordedAtLogin() {
        StoredSession session = sessionOf("sub-device", now, "Firefox on Linux");
        store.putSession(session);

        assertThat(store.getSession(session.idHash()).orElseThrow().device()).isEqualTo("Firefox on Linux");
    }

    @Test
    void replaceTokens_keepsTheDevice_andTheSessionInItsUsersList() {
        String sub = "sub-" + UUID.randomUUID();
        StoredSession session = sessionOf(sub, now, "Firefox on Linux");
        store.putSession(session);

        assertThat(store.replaceTokens(session.idHash(), session.sealedTokens(), "k2", bytes("refreshed"))).isTrue();

        assertThat(store.getSession(session.idHash()).orElseThrow().device()).isEqualTo("Firefox on Linux");
        assertThat(store.sessionsOf(sub)).singleElement().satisfies(s -> {
            assertThat(s.idHash()).isEqualTo(session.idHash());
            assertThat(s.device()).isEqualTo("Firefox on Linux");
        });
    }

    @Test
    void sessionsOf_listsTheUsersSessionsNewestFirst_withWhatTheListShows() {
        String sub = "sub-" + UUID.randomUUID();
        StoredSession oldest = sessionOf(sub, now.minus(Duration.ofDays(2)), "Chrome on macOS");
        StoredSession middle = sessionOf(sub, now.minus(Duration.ofHours(3)), null);
        StoredSession newest = sessionOf(sub, now.minus(Duration.ofMinutes(1)), "Safari on iOS");
        store.putSession(middle);
        store.putSession(newest);
        store.putSession(oldest);

        List<SessionSummary> listed = store.sessionsOf(sub);

        assertThat(listed).extracting(SessionSummary::idHash)
                .containsExactly(newest.idHash(), middle.idHash(), oldest.idHash());
        SessionSummary first = listed.getFirst();
        assertThat(seconds(first.createdAt())).isEqualTo(seconds(newest.createdAt()));
        assertThat(seconds(first.lastSeenAt())).isEqualTo(seconds(newest.lastSeenAt()));
        assertThat(seconds(first.expiresAt())).isEqualTo(seconds(newest.expiresAt()));
        assertThat(first.device()).isEqualTo("Safari on iOS");
        assertThat(listed.get(1).device()).isNull();
    }

    @Test
    void sessionsOf_neverListsAnotherUsersSessions() {
        String alice = "sub-" + UUID.randomUUID();
        String bob = "sub-" + UUID.randomUUID();
        StoredSession hers = sessionOf(alice, now, "Chrome on Linux");
        store.putSession(hers);
        store.putSession(sessionOf(bob, now, "Chrome on Linux"));

        assertThat(store.sessionsOf(alice)).extracting(SessionSummary::idHash).containsExactly(hers.idHash());
        assertThat(store.sessionsOf("sub-nobody")).isEmpty();
    }

    @Test
    void sessionsOf_includesExpiredSessions_forTheCallerToJudge() {
        String sub = "sub-" + UUID.randomUUID();
        StoredSession expired = new StoredSession(hash("expired"), sub, "alice@example.com", true, null, null, null,
                now.minus(Duration.ofDays(8)), now.minus(Duration.ofDays(8)), now.minus(Duration.ofDays(1)), "k1",
                bytes("sealed"), null);
        store.putSession(expired);

        List<SessionSummary> listed = store.sessionsOf(sub);

        assertThat(listed).singleElement().satisfies(s -> {
            assertThat(s.idHash()).isEqualTo(expired.idHash());
            assertThat(seconds(s.expiresAt())).isEqualTo(seconds(expired.expiresAt()));
        });
    }

    @Test
    void sessionsOf_followsDeletesAndTouches() {
        String sub = "sub-" + UUID.randomUUID();
        StoredSession kept = sessionOf(sub, now.minus(Duration.ofHours(2)), null);
        StoredSession ended = sessionOf(sub, now.minus(Duration.ofHours(1)), null);
        store.putSession(kept);
        store.putSession(ended);
        Instant seen = now.plus(Duration.ofMinutes(10));

        store.deleteSession(ended.idHash());
        store.touchSession(kept.idHash(), seen, now.plus(Duration.ofHours(12)));

        assertThat(store.sessionsOf(sub)).singleElement().satisfies(s -> {
            assertThat(s.idHash()).isEqualTo(kept.idHash());
            assertThat(seconds(s.lastSeenAt())).isEqualTo(seconds(seen));
        });
    }

    @Test
    void sessionIdsWithEmail_findsTheSessionsOfThatAddress_whateverItsCase() {
        String local = "carol-" + UUID.randomUUID().toString().substring(0, 8);
        StoredSession first = sessionOf("sub-" + UUID.randomUUID(), now, null, local + "@Example.com");
        StoredSession second = sessionOf("sub-" + UUID.randomUUID(), now, null, local + "@example.com");
        store.putSession(first);
        store.putSession(second);
        store.putSession(sessionOf("sub-" + UUID.randomUUID(), now, null, "dave@example.com"));

        assertThat(store.sessionIdsWithEmail(" " + local.toUpperCase() + "@EXAMPLE.COM"))
                .containsExactlyInAnyOrder(first.idHash(), second.idHash());
        assertThat(store.sessionIdsWithEmail("nobody-" + local + "@example.com")).isEmpty();
    }

    @Test
    void checkReachable_passesForAWorkingStore() {
        store.checkReachable();
    }

    // --- helpers ------------------------------------------------------------------------------------------

    /** A fresh 64-hex-character stand-in for a SHA-256 hash; the label only makes failures readable. */
    static String hash(String label) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    PendingLogin login(Instant expiresAt) {
        return new PendingLogin(hash("login"), "nonce-" + UUID.randomUUID(), "verifier-" + UUID.randomUUID(),
                "/deep/link?x=1", expiresAt);
    }

    StoredSession session(String idHash, Instant expiresAt) {
        return new StoredSession(idHash, "sub-1", "alice@example.com", true, "example.com", "Alice Example",
                "https://lh3.googleusercontent.com/a/alice", now.minus(Duration.ofMinutes(5)), now, expiresAt, "k1",
                bytes("sealed-tokens-" + idHash));
    }

    StoredSession sessionOf(String sub, Instant createdAt, String device) {
        return sessionOf(sub, createdAt, device, "alice@example.com");
    }

    StoredSession sessionOf(String sub, Instant createdAt, String device, String email) {
        return new StoredSession(hash("listed"), sub, email, true, null, "Alice Example", null, createdAt, createdAt,
                createdAt.plus(Duration.ofHours(12)), "k1", bytes("sealed"), device);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Instant seconds(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS);
    }

    static void assertSameLogin(PendingLogin actual, PendingLogin expected) {
        assertThat(actual.stateHash()).isEqualTo(expected.stateHash());
        assertThat(actual.nonce()).isEqualTo(expected.nonce());
        assertThat(actual.codeVerifier()).isEqualTo(expected.codeVerifier());
        assertThat(actual.returnTo()).isEqualTo(expected.returnTo());
        assertThat(seconds(actual.expiresAt())).isEqualTo(seconds(expected.expiresAt()));
    }

    static void assertSameSession(StoredSession actual, StoredSession expected) {
        List<Object> a = new ArrayList<>(List.of(actual.idHash(), actual.sub(), seconds(actual.createdAt()),
                seconds(actual.lastSeenAt()), seconds(actual.expiresAt()), actual.tokenKeyId()));
        List<Object> e = new ArrayList<>(List.of(expected.idHash(), expected.sub(), seconds(expected.createdAt()),
                seconds(expected.lastSeenAt()), seconds(expected.expiresAt()), expected.tokenKeyId()));
        assertThat(a).isEqualTo(e);
        assertThat(actual.email()).isEqualTo(expected.email());
        assertThat(actual.emailVerified()).isEqualTo(expected.emailVerified());
        assertThat(actual.hostedDomain()).isEqualTo(expected.hostedDomain());
        assertThat(actual.name()).isEqualTo(expected.name());
        assertThat(actual.picture()).isEqualTo(expected.picture());
        assertThat(actual.sealedTokens()).isEqualTo(expected.sealedTokens());
        assertThat(actual.device()).isEqualTo(expected.device());
    }
}
