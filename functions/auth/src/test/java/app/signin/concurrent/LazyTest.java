package app.signin.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class LazyTest {

    @Test
    void concurrentFirstCalls_computeOnce_andAllSeeThatValue() throws Exception {
        // GIVEN a computation that blocks until every caller is waiting on it
        int callers = 8;
        AtomicInteger computations = new AtomicInteger();
        CountDownLatch allStarted = new CountDownLatch(callers);
        Lazy<Object> lazy = Lazy.of(() -> {
            computations.incrementAndGet();
            try {
                allStarted.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Object();
        });
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            // WHEN they all ask at once
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    allStarted.countDown();
                    return lazy.get();
                }));
            }
            // THEN one computation, one shared value
            Object first = results.getFirst().get(10, TimeUnit.SECONDS);
            for (Future<Object> r : results) {
                assertThat(r.get(10, TimeUnit.SECONDS)).isSameAs(first);
            }
            assertThat(computations).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedComputation_isNotKept_theNextCallComputesAgain() {
        // GIVEN a computation that fails the first time (the provider was unreachable)
        AtomicInteger computations = new AtomicInteger();
        Lazy<String> lazy = Lazy.of(() -> {
            if (computations.incrementAndGet() == 1) {
                throw new IllegalStateException("unreachable");
            }
            return "value";
        });
        // WHEN the first call fails THEN the caller sees the failure
        assertThatThrownBy(lazy::get).isInstanceOf(IllegalStateException.class).hasMessage("unreachable");
        // AND the next call computes again and succeeds
        assertThat(lazy.get()).isEqualTo("value");
        assertThat(computations).hasValue(2);
    }

    @Test
    void retryingAfter_aFailedComputation_isTriedAgainOnlyOnceTheIntervalHasPassed_byTheClockItIsGiven() {
        // GIVEN a computation that fails twice, spaced out by a minute on a clock the test moves
        HandClock clock = new HandClock(Instant.parse("2026-01-01T00:00:00Z"));
        AtomicInteger computations = new AtomicInteger();
        Lazy<String> lazy = Lazy.retryingAfter(Duration.ofMinutes(1), clock, () -> {
            if (computations.incrementAndGet() <= 2) {
                throw new IllegalStateException("attempt " + computations.get());
            }
            return "value";
        });
        assertThatThrownBy(lazy::get).hasMessage("attempt 1");

        // WHEN asked again inside the minute THEN it fails with the same failure, without computing
        clock.advance(Duration.ofSeconds(59));
        assertThatThrownBy(lazy::get).hasMessage("attempt 1");
        assertThat(computations).hasValue(1);
        assertThat(lazy.computed()).isEmpty();

        // WHEN the minute has passed THEN it computes again (and fails again, for another minute)
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(lazy::get).hasMessage("attempt 2");
        clock.advance(Duration.ofSeconds(30));
        assertThatThrownBy(lazy::get).hasMessage("attempt 2");

        // AND a success after that is kept for good
        clock.advance(Duration.ofSeconds(30));
        assertThat(lazy.get()).isEqualTo("value");
        clock.advance(Duration.ofDays(1));
        assertThat(lazy.get()).isEqualTo("value");
        assertThat(lazy.computed()).contains("value");
        assertThat(computations).hasValue(3);
    }

    @Test
    void aSuccessfulComputation_isKept() {
        AtomicInteger computations = new AtomicInteger();
        Lazy<String> lazy = Lazy.of(() -> "value-" + computations.incrementAndGet());
        assertThat(lazy.get()).isEqualTo("value-1");
        assertThat(lazy.get()).isEqualTo("value-1");
        assertThat(computations).hasValue(1);
    }

    /** A clock moved by hand (not testing.MutableClock: this package's tests must not reach up to it). */
    private static final class HandClock extends Clock {
        private volatile Instant now;

        HandClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void toString_neverShowsTheValue_becauseSomeValuesAreSecrets() {
        Lazy<String> lazy = Lazy.of(() -> "the-client-secret");
        assertThat(lazy.toString()).doesNotContain("the-client-secret");
        lazy.get();
        assertThat(lazy.toString()).doesNotContain("the-client-secret");
    }
}
