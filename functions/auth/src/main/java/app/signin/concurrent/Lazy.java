package app.signin.concurrent;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value computed on first use and then kept for the container's life. A computation that throws is not
 * kept: the exception reaches the caller and the next call computes again, so a container that started
 * while the provider or Secrets Manager was unreachable heals by itself. Concurrent first calls compute
 * once; the others wait for it and share its value.
 *
 * <p>Hand-written, not a library: Guava's {@code Suppliers.memoize} behaves the same but would put Guava
 * on every handler's cold path for twenty lines, and JDK 25's {@code StableValue.supplier} is a preview API
 * (it needs {@code --enable-preview}, which the Lambda runtime does not pass).
 */
public final class Lazy<T> implements Supplier<T> {
    private final Supplier<? extends T> compute;
    private volatile T value;

    private Lazy(Supplier<? extends T> compute) {
        this.compute = Objects.requireNonNull(compute);
    }

    /** {@code compute} must not return null: null is how "not yet computed" is told apart. */
    public static <T> Lazy<T> of(Supplier<? extends T> compute) {
        return new Lazy<>(compute);
    }

    @Override
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) {
                    v = Objects.requireNonNull(compute.get(), "lazy value computed as null");
                    value = v;
                }
            }
        }
        return v;
    }

    /** Never the value itself: some lazy values are secrets, and a logged holder must leak nothing. */
    @Override
    public String toString() {
        return value == null ? "Lazy[not computed]" : "Lazy[computed]";
    }
}
