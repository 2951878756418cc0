package app.signin.handler;

import java.time.Clock;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.App;
import app.signin.health.HealthCheck;
import app.signin.json.Json;
import app.signin.web.HttpApiFunction;
import app.signin.web.HttpRequest;
import app.signin.web.HttpResponse;
import app.signin.web.PublicOrigin;

/**
 * {@code GET /health}: 200 {@code {"status":"ok"}} when {@link HealthCheck} passes, otherwise 503
 * {@code {"status":"unavailable"}}. The body says nothing more - no table name, no endpoint, no exception -
 * because it is public; the log line says why.
 */
public final class HealthHandler implements HttpApiFunction {
    private final HealthCheck check;

    /** Lambda's: builds the application from the environment now; one that does not load is retried. */
    public HealthHandler() {
        this(Wiring.healthCheck(App::fromEnvironment, HealthCheck.PROBE_REUSE, Clock.systemUTC()));
    }

    /** Over a check built by {@link Wiring#health}, for tests and the local runner. */
    public HealthHandler(HealthCheck check) {
        this.check = check;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        HttpRequest request = new HttpRequest(event);
        boolean ok = check.check(request.requestId());
        HttpResponse response = HttpResponse.json(ok ? 200 : 503,
                Json.object().put("status", ok ? "ok" : "unavailable").toString());
        if (!ok) {
            response.header("retry-after", "5");
        }
        return response.build(origin(request));
    }

    private PublicOrigin origin(HttpRequest request) {
        try {
            return PublicOrigin.of(check.publicBaseUrl(), request);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
