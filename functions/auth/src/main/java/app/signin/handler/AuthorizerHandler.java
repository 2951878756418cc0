package app.signin.handler;

import java.util.Map;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

import app.signin.App;
import app.signin.log.Function;
import app.signin.protect.Authorizer;
import app.signin.snapstart.Primeable;
import app.signin.snapstart.SnapStartPriming;
import app.signin.web.HttpApiAuthorizer;
import app.signin.web.CookiePolicy;
import app.signin.web.HttpRequest;
import app.signin.web.Pipeline;
import app.signin.web.PrimingRequest;

/**
 * The HTTP API's Lambda authorizer: reads the event, asks {@link Authorizer} (the bearer token, else the
 * session cookie; fails closed), logs its decision and answers it. A stream handler ({@link HttpApiAuthorizer}).
 */
public final class AuthorizerHandler implements HttpApiAuthorizer, Primeable {
    private final Pipeline pipeline;
    private final Authorizer authorizer;

    /** Lambda's constructor: the container's graph. */
    public AuthorizerHandler() {
        this(App.fromEnvironment().pipeline(), App.fromEnvironment().authorizer());
    }

    /** Not an {@link HttpHandler}, so it registers its own SnapStart priming. */
    public AuthorizerHandler(Pipeline pipeline, Authorizer authorizer) {
        this.pipeline = pipeline;
        this.authorizer = authorizer;
        SnapStartPriming.register(Function.AUTHORIZER.label(), this, pipeline.log()::info);
    }

    /**
     * A request without credentials through the stream path (denied before any store call; its one deny line
     * is logged under the request id {@code snapstart-priming}), then {@link Authorizer}'s own priming; then
     * a signed-in request repeated on throwaway sessions, to warm the JIT ({@link JitWarming}).
     */
    @Override
    public void prime(SnapStartPriming priming) {
        new PrimingRequest(this).send(priming, "/api/hello", "");
        authorizer.prime(priming, pipeline.clock().instant());
        JitWarming.authorizer(priming, pipeline, authorizer, authorizer.sessions());
    }

    /** {@code event}: the authorizer's event, whose request fields have the route event's names. */
    @Override
    public Map<String, Object> handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        HttpRequest request = new HttpRequest(event);
        boolean ownApi = request.stageVariable(Authorizer.OWN_API_STAGE_VARIABLE).filter(Authorizer.OWN_API::equals)
                .isPresent();
        Authorizer.Decision decision = authorizer.decide(request.routeKey(), ownApi, request.header("authorization"),
                () -> CookiePolicy.sessionCookie(pipeline.origin(request), request),
                pipeline.clock().instant());
        pipeline.authorization(request.requestId(), request.routeKey(), decision.outcome(), decision.failure(),
                decision.detail());
        return decision.answer();
    }
}
