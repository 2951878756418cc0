package app.signin.handler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.App;
import app.signin.log.Log;
import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.session.StoreUnavailableException;
import app.signin.web.HttpRequest;
import app.signin.web.HttpResponse;
import app.signin.web.Pages;
import app.signin.web.PublicOrigin;

/**
 * What every HTTP handler shares: parse the event, call the subclass, map each failure to its one status
 * and page, log the outcome with the request id and count it ({@code Metrics#requestOutcome}). A handler
 * never lets an exception reach Lambda - that would become API Gateway's bare 500 - and never shows a
 * stack trace.
 *
 * <p>Lambda drives the handlers as {@link RequestStreamHandler}s (template.yaml names the class alone, and
 * the runtime prefers the stream interface): the event JSON is read by {@link HttpApiJson}, so the runtime
 * never loads its reflection-based Jackson mapping. The {@link RequestHandler} form is the same code for
 * callers that hold an event object (tests, the local runner).
 */
public abstract class HttpHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, RequestStreamHandler {
    protected final App app;
    private final String name;

    HttpHandler(App app, String name) {
        this.app = app;
        this.name = name;
    }

    /** Handles one request; throws {@link SignInException} for every expected failure. */
    abstract HttpResponse handle(HttpRequest request, PublicOrigin origin, Instant now);

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        HttpApiJson.writeResponse(handleRequest(HttpApiJson.readEvent(input), context), output);
    }

    @Override
    public final APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        HttpRequest request = new HttpRequest(event);
        String requestId = request.requestId();
        PublicOrigin origin = null;
        try {
            origin = PublicOrigin.of(app.config().publicBaseUrl(), request);
            HttpResponse response = handle(request, origin, app.clock().instant());
            APIGatewayV2HTTPResponse built = response.build(origin);
            app.log().request(name, requestId, built.getStatusCode(), "ok", null, null);
            app.metrics().requestOutcome(name, null);
            return built;
        } catch (SignInException e) {
            return failure(request, origin, e);
        } catch (StoreUnavailableException e) {
            return failure(request, origin, new SignInException(Failure.STORE_UNAVAILABLE, e.getMessage(), e));
        } catch (RuntimeException e) {
            // Unexpected: log the type and where it happened, never the message (it may quote input).
            app.log().request(name, requestId, 500, "error", Failure.INTERNAL.reason(), Log.describeUnexpected(e));
            app.metrics().requestOutcome(name, Failure.INTERNAL.reason());
            return errorResponse(request, origin, new SignInException(Failure.INTERNAL, null)).build(origin);
        }
    }

    private APIGatewayV2HTTPResponse failure(HttpRequest request, PublicOrigin origin, SignInException e) {
        Failure failure = e.failure();
        String requestId = request.requestId();
        app.log().request(name, requestId, failure.status(), "rejected", failure.reason(), e.getMessage());
        app.metrics().requestOutcome(name, failure.reason());
        HttpResponse response = errorResponse(request, origin, e);
        // Retry-After says how long the dependency is expected to be down, which holds even when this
        // particular attempt is spent (the page then says to start again rather than reload).
        if (failure.retryAfterSeconds() > 0) {
            response.header("retry-after", Integer.toString(failure.retryAfterSeconds()));
        }
        return response.build(origin);
    }

    /** The error response; HTML by default. Handlers serving APIs override this with JSON. */
    HttpResponse errorResponse(HttpRequest request, PublicOrigin origin, SignInException e) {
        return HttpResponse.html(e.failure().status(), Pages.error(e.failure(), e.userDetail(), request.requestId()));
    }
}
