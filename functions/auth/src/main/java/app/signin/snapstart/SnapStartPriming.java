package app.signin.snapstart;

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
 */
public final class SnapStartPriming implements Resource {
    /**
     * The key of every priming call to the store. Real keys are 43-character base64url hashes, so no session
     * or pending login can ever have this one.
     */
    public static final String PRIMING_KEY = "snapstart-priming";
    /** The nonce of priming's pending login and ID token: no real nonce has this shape either. */
    public static final String PRIMING_NONCE = "snapstart-priming-nonce";

    /** The CRaC context may hold resources weakly; these must live as long as the container. */
    private static final List<SnapStartPriming> REGISTERED = new CopyOnWriteArrayList<>();

    private final String function;
    private final Primeable primeable;
    private final Consumer<String> report;

    /**
     * @param function the function's name, for the log
     * @param report where a skipped step is said (the function's log)
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
    }

    /** Runs one step; if it fails, says so and carries on. */
    public void step(String name, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            say(name, e);
        }
    }

    private void say(String name, RuntimeException e) {
        report.accept("snapstart priming (" + function + "): " + name + " skipped (" + e.getClass().getSimpleName() + ")");
    }
}
