package app.signin.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.error.SignInException;
import app.signin.log.Function;
import app.signin.protect.JsonResponses;
import app.signin.snapstart.Primeable;
import app.signin.snapstart.SnapStartPriming;
import app.signin.web.HttpApiFunction;
import app.signin.web.HttpRequest;
import app.signin.web.HttpResponse;
import app.signin.web.Pages;
import app.signin.web.Pipeline;
import app.signin.web.PrimingRequest;
import app.signin.web.PublicOrigin;
import app.signin.web.Route;

/**
 * The base of every page handler: a {@link Route} run by the shared {@link Pipeline#respond}, which owns the
 * event, the failures and the outcome's log line; Lambda drives it as a stream handler. It is also its
 * function's SnapStart priming ({@link Primeable}), registered here once for all handlers: each primes itself,
 * starting with a harmless request of its own ({@link #primingRequest}; see the {@code snapstart} package comment).
 */
public abstract class HttpHandler implements HttpApiFunction, Route, Primeable {
    private final Pipeline pipeline;
    private final Function function;

    HttpHandler(Pipeline pipeline, Function function) {
        this.pipeline = pipeline;
        this.function = function;
        SnapStartPriming.register(function.label(), this, pipeline.log()::info);
    }

    /** The pages every handler answers with. */
    final Pages pages() {
        return pipeline.pages();
    }

    Pipeline pipeline() {
        return pipeline;
    }

    /** A failure's error page; under {@code /api/} its JSON ({@link JsonResponses}): a script cannot read a page. */
    @Override
    public HttpResponse errorResponse(HttpRequest request, PublicOrigin origin, SignInException e) {
        return request.isApi() ? JsonResponses.errorResponse(request, e.failure())
                : pages().failure(e, request.requestId());
    }

    @Override
    public final APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return pipeline.respond(function, event, this);
    }

    /** Priming requests to this handler through its pipeline, logging and counting nowhere. */
    final PrimingRequest primingRequest() {
        return new PrimingRequest(pipeline.quiet().function(function, this));
    }
}
