package app.signin.handler;

import java.time.Instant;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.log.Log;
import app.signin.session.StoreUnavailableException;
import app.signin.web.HttpApiFunction;
import app.signin.web.HttpApiJson;
import app.signin.web.HttpRequest;
import app.signin.web.HttpResponse;
import app.signin.web.Pages;
import app.signin.web.Pipeline;
import app.signin.web.PublicOrigin;

/**
 * What every HTTP handler shares: parse the event, call the subclass, map each failure to its one status
 * and page, log the outcome with the request id and count it. A handler never lets an exception reach
 * Lambda (API Gateway's bare 500) and never shows a stack trace. Lambda drives handlers as stream handlers
 * ({@link HttpApiFunction}), the event read by {@link HttpApiJson} so the runtime never loads its
 * reflection-based Jackson mapping; the typed form serves callers holding an event object.
 */
public abstract class HttpHandler implements HttpApiFunction {
    private final Pipeline pipeline;
    private final String name;

    HttpHandler(Pipeline pipeline, String name) {
        this.pipeline = pipeline;
        this.name = name;
    }

    /** The pages every handler answers with. */
    final Pages pages() {
        return pipeline.pages();
    }

    /** Handles one request; throws {@link SignInException} for every expected failure. */
    abstract HttpResponse handle(HttpRequest request, PublicOrigin origin, Instant now);

    /** The error response; {@code origin} is null when the request named none we accept. */
    HttpResponse errorResponse(HttpRequest request, PublicOrigin origin, SignInException e) {
        return pipeline.pages().failure(e, request.requestId());
    }

    @Override
    public final APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        HttpRequest request = new HttpRequest(event);
        PublicOrigin origin = null;
        SignInException failed;
        String detail;
        try {
            origin = PublicOrigin.of(pipeline.publicBaseUrl(), request);
            HttpResponse response = handle(request, origin, pipeline.clock().instant());
            SignInException refused = response.refused();
            return logged(request, response.build(origin), refused == null ? null : refused.failure(),
                    refused == null ? null : refused.getMessage());
        } catch (SignInException e) {
            failed = e;
            detail = e.getMessage();
        } catch (StoreUnavailableException e) {
            failed = new SignInException(Failure.STORE_UNAVAILABLE, e.getMessage(), e);
            detail = failed.getMessage();
        } catch (RuntimeException e) {
            // Unexpected: log the type and where it happened, never the message (it may quote input).
            failed = new SignInException(Failure.INTERNAL, null);
            detail = Log.describeUnexpected(e);
        }
        return logged(request, errorResponse(request, origin, failed).build(origin), failed.failure(), detail);
    }

    private APIGatewayV2HTTPResponse logged(HttpRequest request, APIGatewayV2HTTPResponse response, Failure failure,
            String detail) {
        pipeline.outcome(name, request.requestId(), response.getStatusCode(), failure, detail);
        return response;
    }
}
