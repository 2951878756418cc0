package app.signin.health;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

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

    private final Supplier<Probed> source;
    private final Duration reloadInterval;
    private final Clock clock;
    private volatile Optional<Probed> probed;
    private volatile Instant lastLoadAttempt;
    private volatile Probe last;

    private record Probe(Instant at, boolean ok) {
    }

    /** Loads what it probes now, retrying a failed load at most every {@code reloadInterval} by {@code clock}. */
    public HealthCheck(Supplier<Probed> source, Duration reloadInterval, Clock clock) {
        this.source = source;
        this.reloadInterval = reloadInterval;
        this.clock = clock;
        this.lastLoadAttempt = clock.instant();
        this.probed = load(source);
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
        return probed.flatMap(p -> p.pipeline().publicBaseUrl());
    }

    private Optional<Probed> probed() {
        Optional<Probed> current = probed;
        if (current.isEmpty() && !clock.instant().isBefore(lastLoadAttempt.plus(reloadInterval))) {
            synchronized (this) {
                Instant now = clock.instant();
                if (probed.isEmpty() && !now.isBefore(lastLoadAttempt.plus(reloadInterval))) {
                    lastLoadAttempt = now;
                    probed = load(source);
                }
                current = probed;
            }
        }
        return current;
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

    private static Optional<Probed> load(Supplier<Probed> source) {
        try {
            return Optional.of(source.get());
        } catch (ConfigException e) {
            // The message names the bad variables (never their values); it is what an operator needs.
            Log.stdout().error("health: " + e.getMessage());
            return Optional.empty();
        } catch (RuntimeException e) {
            Log.stdout().error("health: the application did not start: " + e.getClass().getName());
            return Optional.empty();
        }
    }
}
