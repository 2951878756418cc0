package app.signin.concurrent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A value computed on first use and then kept for the container's life. A computation that throws is not
 * kept: the exception reaches the caller and the next call computes again, so a container that started
 * while the provider or Secrets Manager was unreachable heals by itself. Concurrent first calls compute
 * once; the others wait for it and share its value. {@link #retryingAfter} spaces the retries of a failed
 * computation out in time (by a clock it is given), for a computation that is too costly to repeat on
 * every call while it keeps failing.
 *
 * <p>Hand-written, not a library: Guava's {@code Suppliers.memoize} behaves the same but would put Guava
 * on every handler's cold path for twenty lines, and JDK 25's {@code StableValue.supplier} is a preview API
 * (it needs {@code --enable-preview}, which the Lambda runtime does not pass).
 */
public final class Lazy<T> implements Supplier<T> {
    private final Supplier<? extends T> compute;
    private final Duration retryAfter;
    private final Clock clock;
    private volatile T value;
    /** The last failure and when its computation started; null before any, and once a value is kept. */
    private volatile Failed failed;

    private record Failed(RuntimeException exception, Instant at) {
    }

    private Lazy(Supplier<? extends T> compute, Duration retryAfter, Clock clock) {
        this.compute = Objects.requireNonNull(compute);
        this.retryAfter = retryAfter;
        this.clock = clock;
    }

    /** {@code compute} must not return null: null is how "not yet computed" is told apart. */
    public static <T> Lazy<T> of(Supplier<? extends T> compute) {
        return new Lazy<>(compute, Duration.ZERO, null);
    }

    /**
     * As {@link #of}, but once a computation has failed, calls within {@code retryAfter} of its start (by
     * {@code clock}) get that same exception without computing again; the first call after that computes.
     */
    public static <T> Lazy<T> retryingAfter(Duration retryAfter, Clock clock, Supplier<? extends T> compute) {
        return new Lazy<>(compute, Objects.requireNonNull(retryAfter), Objects.requireNonNull(clock));
    }

    @Override
    public T get() {
        T v = value;
        if (v == null) {
            throwIfNotDue(failed);
            synchronized (this) {
                v = value;
                if (v == null) {
                    throwIfNotDue(failed);
                    v = computeOnce();
                }
            }
        }
        return v;
    }

    /** The value if it has been computed; never computes. */
    public Optional<T> computed() {
        return Optional.ofNullable(value);
    }

    private T computeOnce() {
        Instant started = clock == null ? null : clock.instant();
        try {
            T v = Objects.requireNonNull(compute.get(), "lazy value computed as null");
            value = v;
            failed = null;
            return v;
        } catch (RuntimeException e) {
            if (clock != null) {
                failed = new Failed(e, started);
            }
            throw e;
        }
    }

    private void throwIfNotDue(Failed last) {
        if (last != null && clock.instant().isBefore(last.at().plus(retryAfter))) {
            throw last.exception();
        }
    }

    /** Never the value itself: some lazy values are secrets, and a logged holder must leak nothing. */
    @Override
    public String toString() {
        return value == null ? "Lazy[not computed]" : "Lazy[computed]";
    }
}
