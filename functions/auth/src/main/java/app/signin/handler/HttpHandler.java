package app.signin.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.error.SignInException;
import app.signin.log.Function;
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
 * function's SnapStart priming ({@link Primeable}), registered here once for all handlers: a subclass adds
 * what it primes by overriding {@link #prime} (see the {@code snapstart} package comment).
 */
public abstract class HttpHandler implements HttpApiFunction, Route, Primeable {
    private final Pipeline pipeline;
    private final Function function;
    private final String primingPath;

    /** {@code primingPath}: where a harmless priming request goes, one that neither draws randomness nor writes. */
    HttpHandler(Pipeline pipeline, Function function, String primingPath) {
        this.pipeline = pipeline;
        this.function = function;
        this.primingPath = primingPath;
        SnapStartPriming.register(function.label(), this, pipeline.log()::info);
    }

    /** The pages every handler answers with. */
    final Pages pages() {
        return pipeline.pages();
    }

    Pipeline pipeline() {
        return pipeline;
    }

    @Override
    public HttpResponse errorResponse(HttpRequest request, PublicOrigin origin, SignInException e) {
        return pipeline.pages().failure(e, request.requestId());
    }

    @Override
    public final APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return pipeline.respond(function, event, this);
    }

    /** The priming every handler shares: a harmless GET of its priming path (see {@link #primeRequest}). */
    @Override
    public void prime(SnapStartPriming priming) {
        primeRequest(priming, "");
    }

    /** A GET {@link PrimingRequest} of the priming path with {@code query}, logged and counted nowhere. */
    final void primeRequest(SnapStartPriming priming, String query) {
        PrimingRequest.send(priming, pipeline.quiet().function(function, this), "GET", primingPath, query);
    }

    /** A {@link PrimingRequest} to this handler, logged and counted nowhere, for priming's JIT warming. */
    final Runnable request(String method, String path, String query, String cookie, String body) {
        return PrimingRequest.request(pipeline.quiet().function(function, this), method, path, query, cookie, body);
    }
}
