package app.signin.snapstart;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * One container's priming: registered with the runtime's CRaC context, it runs the function's
 * {@link Primeable} in {@code beforeCheckpoint}, and is the runner of that primeable's steps (see the
 * package comment for the rules).
 *
 * <p>Two kinds of step. {@link #step} runs once: it loads and initialises the classes of a path, and makes
 * the one real call to a peer (discovery, the store). {@link #warm} repeats: after every {@code prime} step
 * has run, the warming steps run round-robin - up to each one's count and at most
 * {@link #WARMING_BUDGET_NANOS} in all, checked before each step - so that the JIT compiles the hot path
 * before the snapshot; then priming waits (at most {@link #JIT_QUIET_WAIT_NANOS}) for the compiler queue to
 * drain, so the compilations it caused are in the snapshot instead of beside the first requests after a
 * restore. Warming steps reach no peer: they run on throwaway copies (see the package comment).
 */
public final class SnapStartPriming implements Resource {
    /**
     * The key of every priming call to the store. Real keys are 43-character base64url hashes, so no session
     * or pending login can ever have this one.
     */
    public static final String PRIMING_KEY = "snapstart-priming";
    /** The nonce of priming's pending login and ID token: no real nonce has this shape either. */
    public static final String PRIMING_NONCE = "snapstart-priming-nonce";
    /**
     * How often a warming step may repeat; the budget usually stops it first, after a few hundred rounds - past
     * the ~200 calls after which C1 compiles a method that a request calls once.
     */
    public static final int JIT_ROUNDS = 2000;
    /** The most a function's warming steps may take (issue 14: at most 1.5 s more init, with the wait below). */
    public static final long WARMING_BUDGET_NANOS = 1_000_000_000L;
    /** The most priming waits, after warming, for the compilations it caused to finish. */
    public static final long JIT_QUIET_WAIT_NANOS = 400_000_000L;

    /** The CRaC context may hold resources weakly; these must live as long as the container. */
    private static final List<SnapStartPriming> REGISTERED = new CopyOnWriteArrayList<>();

    private final String function;
    private final Primeable primeable;
    private final Consumer<String> report;
    private final List<Warming> warming = new ArrayList<>();

    private static final class Warming {
        final String name;
        final int times;
        final Runnable step;
        boolean failed;

        Warming(String name, int times, Runnable step) {
            this.name = name;
            this.times = times;
            this.step = step;
        }
    }

    /**
     * @param function the function's name, for the log
     * @param report where a skipped step, and what warming did, is said (the function's log)
     */
    public SnapStartPriming(String function, Primeable primeable, Consumer<String> report) {
        this.function = function;
        this.primeable = primeable;
        this.report = report;
    }

    /**
     * Registers priming for this container if Lambda will snapshot it; only the first registration counts
     * (the handler Lambda built - a copy a priming step builds of itself is not a second function). An
     * on-demand cold start skips even the registration: org.crac's bridge to the runtime builds a dynamic
     * proxy (some 60 classes) that only a snapshot needs. {@code AWS_LAMBDA_INITIALIZATION_TYPE} is the
     * runtime saying how this container was started, not configuration, hence read here.
     */
    public static void register(String function, Primeable primeable, Consumer<String> report) {
        if (!"snap-start".equals(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"))) {
            return;
        }
        synchronized (REGISTERED) {
            if (!REGISTERED.isEmpty()) {
                return;
            }
            SnapStartPriming priming = new SnapStartPriming(function, primeable, report);
            REGISTERED.add(priming);
            Core.getGlobalContext().register(priming);
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to refresh: priming caches nothing time-bound or secret (package comment).
    }

    /** Runs every step of this function's priming now; a failing step is reported and skipped. */
    public void prime() {
        try {
            primeable.prime(this);
        } catch (RuntimeException e) {
            say("priming", e);
        }
        warmUp();
    }

    /** Runs one step now; if it fails, says so and carries on. */
    public void step(String name, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            say(name, e);
        }
    }

    /**
     * A step to repeat up to {@code times} times once every {@code prime} step has run, to warm the JIT.
     * A failing warming step is said once and not repeated.
     */
    public void warm(String name, int times, Runnable step) {
        warming.add(new Warming(name, times, step));
    }

    private void warmUp() {
        if (warming.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        int rounds = 0;
        boolean more = true;
        while (more && System.nanoTime() - start < WARMING_BUDGET_NANOS) {
            more = false;
            for (Warming w : warming) {
                // Checked before every step, so a step slowed by a peer (a provider at its timeout) overruns the
                // budget by that one step at most.
                if (!w.failed && rounds < w.times && System.nanoTime() - start < WARMING_BUDGET_NANOS) {
                    try {
                        w.step.run();
                        more = true;
                    } catch (RuntimeException e) {
                        w.failed = true;
                        say(w.name, e);
                    }
                }
            }
            rounds++;
        }
        long warmed = System.nanoTime();
        long quiet = awaitQuietCompiler();
        report.accept("snapstart priming (" + function + "): " + (more ? rounds : rounds - 1) + " warming rounds in "
                + (warmed - start) / 1_000_000 + " ms, JIT queue drained in " + quiet / 1_000_000 + " ms");
    }

    /**
     * Waits until the JIT has compiled nothing new for two polls in a row, at most
     * {@link #JIT_QUIET_WAIT_NANOS}; returns how long it waited.
     */
    private static long awaitQuietCompiler() {
        long start = System.nanoTime();
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return 0;
        }
        long last = jit.getTotalCompilationTime();
        int still = 0;
        while (still < 2 && System.nanoTime() - start < JIT_QUIET_WAIT_NANOS) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = jit.getTotalCompilationTime();
            still = now == last ? still + 1 : 0;
            last = now;
        }
        return System.nanoTime() - start;
    }

    private void say(String name, RuntimeException e) {
        report.accept("snapstart priming (" + function + "): " + name + " skipped (" + e.getClass().getSimpleName() + ")");
    }
}
