package app.signin.handler;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.App;
import app.signin.config.ConfigException;
import app.signin.json.Json;
import app.signin.log.Log;
import app.signin.session.StoreUnavailableException;
import app.signin.web.HttpRequest;
import app.signin.web.HttpResponse;
import app.signin.web.PublicOrigin;

/**
 * {@code GET /health}: 200 {@code {"status":"ok"}} when the configuration loaded (session secret included)
 * and the session store answers, otherwise 503 {@code {"status":"unavailable"}}. The body says nothing
 * more - no table name, no endpoint, no exception - because it is public; the log line says why.
 *
 * <p>The store probe is DescribeTable (the function's only DynamoDB permission): it proves network,
 * credentials and table without reading an item. Its result is reused for {@link #PROBE_REUSE}, so
 * polling /health hard costs at most one probe per container every few seconds.
 */
public final class HealthHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final Duration PROBE_REUSE = Duration.ofSeconds(5);

    private final Supplier<App> source;
    private final Duration reloadInterval;
    private volatile Optional<App> app;
    private volatile Instant lastLoadAttempt;
    private volatile Probe last;

    public HealthHandler() {
        this(App::fromEnvironment);
    }

    public HealthHandler(App app) {
        this(() -> app);
    }

    /**
     * Builds the application now. A configuration that does not load is reported as "unavailable" rather
     * than failing the function's init, which API Gateway would turn into a bare 500 that says nothing - and
     * it is tried again (at most every {@link #PROBE_REUSE} by default), so a passing Secrets Manager hiccup at init, or
     * in a SnapStart snapshot, does not leave the check failing for the container's whole life.
     */
    public HealthHandler(Supplier<App> app) {
        this(app, PROBE_REUSE);
    }

    /** As above, retrying a failed load at most every {@code reloadInterval}. */
    public HealthHandler(Supplier<App> app, Duration reloadInterval) {
        this.source = app;
        this.reloadInterval = reloadInterval;
        this.lastLoadAttempt = Instant.now();
        this.app = load(app);
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

    private record Probe(Instant at, boolean ok) {
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        HttpRequest request = new HttpRequest(event);
        Optional<App> app = app();
        boolean ok;
        if (app.isEmpty()) {
            ok = false;
            Log.stdout().request("health", request.requestId(), 503, "rejected", "config_invalid", null);
        } else {
            ok = probe(app.get(), request.requestId());
        }
        int status = ok ? 200 : 503;
        HttpResponse response = HttpResponse.json(status, Json.object().put("status", ok ? "ok" : "unavailable")
                .toString());
        if (!ok) {
            response.header("retry-after", "5");
        }
        return response.build(origin(app, request));
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

    private static PublicOrigin origin(Optional<App> app, HttpRequest request) {
        try {
            return PublicOrigin.of(app.flatMap(a -> a.config().publicBaseUrl()), request);
        } catch (RuntimeException e) {
            return null;
        }
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
