package app.signin.handler;

import java.util.Set;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.config.Config;
import app.signin.error.Failure;
import app.signin.log.Function;
import app.signin.log.Log;
import app.signin.net.WebOrigin;
import app.signin.protect.JsonResponses;
import app.signin.protect.SignedInUser;
import app.signin.web.Cors;
import app.signin.web.HttpApiFunction;
import app.signin.web.HttpRequest;

/**
 * {@code GET /api/me} behind the session authorizer: 200 with the caller ({@link SignedInUser#json}), or a JSON
 * error ({@link JsonResponses#notSignedIn(HttpRequest, Failure, java.util.Optional)}) - never a redirect, never
 * HTML. It reads only what the authorizer handed over, so it needs no secret and no DynamoDB access: its role has
 * no policy at all (so for any function behind the authorizer, see {@link HelloHandler}). Its one setting is
 * {@code ALLOWED_RETURN_ORIGINS}, the sibling sites whose pages may call it with credentials ({@link Cors});
 * {@code OPTIONS /api/me}, the browsers' preflight, comes here without the authorizer (it carries no credentials).
 */
public final class MeHandler implements HttpApiFunction {
    private final Log log;
    private final Cors cors;

    public MeHandler() {
        this(Log.stdout(), Config.corsOriginsFromEnvironment());
    }

    /** {@code corsOrigins}: the sibling sites; with none, no CORS headers but {@code Vary: Origin}. */
    public MeHandler(Log log, Set<WebOrigin> corsOrigins) {
        this.log = log;
        this.cors = new Cors(corsOrigins);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        HttpRequest request = new HttpRequest(event);
        if (request.method().equals("OPTIONS")) {
            log.request(Function.ME, request.requestId(), 204, "ok", null, "preflight");
            return cors.preflightResponse(request);
        }
        return cors.applyTo(answer(event, request), request);
    }

    private APIGatewayV2HTTPResponse answer(APIGatewayV2HTTPEvent event, HttpRequest request) {
        var user = SignedInUser.from(event);
        if (user.isPresent()) {
            log.request(Function.ME, request.requestId(), 200, "ok", null, null);
            return JsonResponses.ok(request, user.get().json());
        }
        Failure failure = SignedInUser.whyNotSignedIn(event);
        log.request(Function.ME, request.requestId(), failure.status(), "rejected", failure.reason(), null);
        return JsonResponses.notSignedIn(request, failure, SignedInUser.descriptionNotSignedIn(event));
    }
}
