package app.signin.health;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import app.signin.concurrent.Lazy;
import app.signin.config.ConfigException;
import app.signin.log.Function;
import app.signin.log.Log;
import app.signin.session.StoreUnavailableException;
import app.signin.web.Pipeline;

/**
 * Whether this function could serve: the configuration loaded (session secret included) and the session
 * store answers. Each outcome is logged with its reason; what the caller gets is only yes or no.
 *
 * <p>The store probe is DescribeTable (the health function's only DynamoDB permission): it proves network,
 * credentials and table without reading an item. Its result is reused for {@link #PROBE_REUSE}, so polling
 * /health hard costs at most one probe per container every few seconds.
 *
 * <p>A configuration that does not load is "unavailable" rather than a failed function init, which API
 * Gateway would turn into a bare 500 that says nothing - and it is tried again (at most every reload
 * interval), so a passing Secrets Manager hiccup at init, or in a SnapStart snapshot, does not leave the
 * check failing for the container's whole life. That is why it takes a supplier of what it probes, not
 * the probed things themselves: building them is what may fail.
 */
public final class HealthCheck {
    public static final Duration PROBE_REUSE = Duration.ofSeconds(5);

    /**
     * What a loaded configuration gives the check: the pipeline's log, metrics and PUBLIC_BASE_URL, as every
     * handler gets them, and the store's reachability check, which throws {@link StoreUnavailableException}.
     */
    public record Probed(Pipeline pipeline, Runnable storeReachable) {
    }

    /** What it probes, loaded once; a load that failed is tried again at most every reload interval. */
    private final Lazy<Probed> probed;
    private final Clock clock;
    private volatile Probe last;

    private record Probe(Instant at, boolean ok) {
    }

    /** Loads what it probes now, retrying a failed load at most every {@code reloadInterval} by {@code clock}. */
    public HealthCheck(Supplier<Probed> source, Duration reloadInterval, Clock clock) {
        this.probed = Lazy.retryingAfter(reloadInterval, clock, () -> load(source));
        this.clock = clock;
        probed();
    }

    /** True when the configuration loaded and the store answered (now, or within {@link #PROBE_REUSE}). */
    public boolean check(String requestId) {
        Optional<Probed> current = probed();
        if (current.isEmpty()) {
            Log.stdout().request(Function.HEALTH, requestId, 503, "rejected", "config_invalid", null);
            return false;
        }
        return probe(current.get(), requestId);
    }

    /** PUBLIC_BASE_URL when the configuration loaded, for the response's HSTS decision. */
    public Optional<URI> publicBaseUrl() {
        return probed.computed().flatMap(p -> p.pipeline().publicBaseUrl());
    }

    /** What it probes, loading it if it is not loaded and a load is due; empty while it does not load. */
    private Optional<Probed> probed() {
        try {
            return Optional.of(probed.get());
        } catch (RuntimeException notLoaded) {
            return Optional.empty(); // said in the log by load, once per attempt
        }
    }

    private boolean probe(Probed probed, String requestId) {
        Log log = probed.pipeline().log();
        Instant now = clock.instant();
        Probe previous = last;
        if (previous != null && now.isBefore(previous.at().plus(PROBE_REUSE)) && !now.isBefore(previous.at())) {
            log.request(Function.HEALTH, requestId, previous.ok() ? 200 : 503, previous.ok() ? "ok" : "rejected",
                    previous.ok() ? null : "store_unavailable", "probe result reused");
            return previous.ok();
        }
        boolean ok;
        try {
            probed.storeReachable().run();
            ok = true;
            log.request(Function.HEALTH, requestId, 200, "ok", null, null);
        } catch (StoreUnavailableException e) {
            ok = false;
            log.request(Function.HEALTH, requestId, 503, "rejected", "store_unavailable", e.getMessage());
            probed.pipeline().metrics().storeError(Function.HEALTH);
        } catch (RuntimeException e) {
            // Unexpected: still a 503 with nothing in the body; the type and place go to the log only.
            ok = false;
            log.request(Function.HEALTH, requestId, 503, "error", "internal_error", Log.describeUnexpected(e));
        }
        last = new Probe(now, ok);
        return ok;
    }

    /** One load attempt; a failure is logged here, once, and rethrown so that it is not kept. */
    private static Probed load(Supplier<Probed> source) {
        try {
            return source.get();
        } catch (ConfigException e) {
            // The message names the bad variables (never their values); it is what an operator needs.
            Log.stdout().error("health: " + e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            Log.stdout().error("health: the application did not start: " + e.getClass().getName());
            throw e;
        }
    }
}
