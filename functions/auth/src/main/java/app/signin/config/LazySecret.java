package app.signin.config;

import java.util.function.Supplier;

/**
 * A secret resolved on first use and then kept for the container's life (a Secrets Manager ARN is read
 * once per container, and only by the functions that need it). A failed read is not cached.
 */
public final class LazySecret implements Supplier<String> {
    private final Supplier<String> source;
    private volatile String value;

    public LazySecret(Supplier<String> source) {
        this.source = source;
    }

    @Override
    public String get() {
        String v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) {
                    v = source.get();
                    value = v;
                }
            }
        }
        return v;
    }

    @Override
    public String toString() {
        return "LazySecret[redacted]";
    }
}
