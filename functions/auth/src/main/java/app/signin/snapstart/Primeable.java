package app.signin.snapstart;

/**
 * Something that runs its own code before Lambda snapshots the container, so that the snapshot holds it
 * loaded, initialised and compiled: a handler, or the component that owns a client. It runs each step
 * through {@link SnapStartPriming#step}, which keeps a failing step from failing the snapshot. The rules
 * every implementation keeps are in the {@code snapstart} package comment.
 */
@FunctionalInterface
public interface Primeable {
    void prime(SnapStartPriming priming);
}
