package app.signin.conformance.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import app.signin.session.SessionStore;
import app.signin.session.StoredSession;
import app.signin.store.InMemorySessionStore;

/** The local runner's store honours the same contract as DynamoDB's. */
class InMemorySessionStoreContractTest extends SessionStoreContract {
    @Override
    SessionStore newStore() {
        return new InMemorySessionStore();
    }

    /**
     * The compare-and-set is this store's own code here. DynamoDB makes one conditional UpdateItem atomic
     * itself (its documented guarantee, which moto_server does not emulate: it checks conditions without a
     * lock), so the shared contract proves the condition sequentially and this race runs here only.
     */
    @Test
    void replaceTokens_racingOnTheSameExpectedTokens_exactlyOneWins() throws Exception {
        for (int round = 0; round < RACE_ROUNDS; round++) {
            StoredSession session = session(hash("race-" + round), now.plus(Duration.ofHours(1)));
            store.putSession(session);
            CyclicBarrier start = new CyclicBarrier(2);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (String value : List.of("a", "b")) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return store.replaceTokens(session.idHash(), session.sealedTokens(), "k1", bytes(value));
                    }));
                }
                int wins = 0;
                for (Future<Boolean> r : results) {
                    wins += r.get() ? 1 : 0;
                }
                assertThat(wins).as("round %d", round).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
