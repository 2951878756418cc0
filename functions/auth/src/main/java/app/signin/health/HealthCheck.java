package app.signin.health;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import app.signin.App;
import app.signin.config.ConfigException;
import app.signin.log.Log;
import app.signin.session.StoreUnavailableException;

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
 * check failing for the container's whole life.
 */
public final class HealthCheck {
    public static final Duration PROBE_REUSE = Duration.ofSeconds(5);

    private final Supplier<App> source;
    private final Duration reloadInterval;
    private volatile Optional<App> app;
    private volatile Instant lastLoadAttempt;
    private volatile Probe last;

    private record Probe(Instant at, boolean ok) {
    }

    /** Builds the application now, retrying a failed load at most every {@code reloadInterval}. */
    public HealthCheck(Supplier<App> app, Duration reloadInterval) {
        this.source = app;
        this.reloadInterval = reloadInterval;
        this.lastLoadAttempt = Instant.now();
        this.app = load(app);
    }

    /** True when the configuration loaded and the store answered (now, or within {@link #PROBE_REUSE}). */
    public boolean check(String requestId) {
        Optional<App> current = app();
        if (current.isEmpty()) {
            Log.stdout().request("health", requestId, 503, "rejected", "config_invalid", null);
            return false;
        }
        return probe(current.get(), requestId);
    }

    /** PUBLIC_BASE_URL when the configuration loaded, for the response's HSTS decision. */
    public Optional<URI> publicBaseUrl() {
        return app.flatMap(a -> a.config().publicBaseUrl());
    }

    private Optional<App> app() {
        Optional<App> current = app;
        if (current.isEmpty() && !Instant.now().isBefore(lastLoadAttempt.plus(reloadInterval))) {
            synchronized (this) {
                if (app.isEmpty() && !Instant.now().isBefore(lastLoadAttempt.plus(reloadInterval))) {
                    lastLoadAttempt = Instant.now();
                    app = load(source);
                }
                current = app;
            }
        }
        return current;
    }

    private boolean probe(App app, String requestId) {
        Instant now = app.clock().instant();
        Probe previous = last;
        if (previous != null && now.isBefore(previous.at().plus(PROBE_REUSE)) && !now.isBefore(previous.at())) {
            app.log().request("health", requestId, previous.ok() ? 200 : 503, previous.ok() ? "ok" : "rejected",
                    previous.ok() ? null : "store_unavailable", "probe result reused");
            return previous.ok();
        }
        boolean ok;
        try {
            app.store().checkReachable();
            ok = true;
            app.log().request("health", requestId, 200, "ok", null, null);
        } catch (StoreUnavailableException e) {
            ok = false;
            app.log().request("health", requestId, 503, "rejected", "store_unavailable", e.getMessage());
            app.metrics().storeError("health");
        } catch (RuntimeException e) {
            // Unexpected: still a 503 with nothing in the body; the type and place go to the log only.
            ok = false;
            app.log().request("health", requestId, 503, "error", "internal_error", Log.describeUnexpected(e));
        }
        last = new Probe(now, ok);
        return ok;
    }

    private static Optional<App> load(Supplier<App> app) {
        try {
            return Optional.of(app.get());
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
