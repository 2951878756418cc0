package app.signin.handler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

import app.signin.App;
import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.log.Function;
import app.signin.log.Log;
import app.signin.oidc.BearerTokens;
import app.signin.oidc.Identity;
import app.signin.protect.AuthorizerResponse;
import app.signin.protect.SignedInUser;
import app.signin.session.SessionStore;
import app.signin.session.Sessions;
import app.signin.session.StoreUnavailableException;
import app.signin.session.StoredSession;
import app.signin.snapstart.Primeable;
import app.signin.snapstart.SnapStartPriming;
import app.signin.web.BearerCredential;
import app.signin.web.CookiePolicy;
import app.signin.web.HttpApiJson;
import app.signin.web.HttpRequest;
import app.signin.web.Pipeline;
import app.signin.web.PublicOrigin;

/**
 * The HTTP API's Lambda authorizer (REQUEST, payload 2.0, simple responses). A request with an
 * {@code Authorization} header is judged by that alone: a Google ID token as bearer token
 * ({@link BearerTokens}, no store call). Otherwise the session cookie is checked exactly as the index page
 * checks it ({@link Sessions#lookup}), with the same sliding refresh. The answer is one of
 * {@link AuthorizerResponse}'s, with {@code via} saying which credential it was. Fails closed: a store
 * that does not answer, a malformed request or an unexpected error denies. Lambda drives it as a stream handler; its event is read by
 * {@link HttpApiJson} into the type {@link HttpRequest} reads, as the pages' are.
 */
public final class AuthorizerHandler implements RequestHandler<APIGatewayV2HTTPEvent, Map<String, Object>>,
        RequestStreamHandler, Primeable {
    /**
     * Routes (API Gateway route keys, which a client cannot choose) whose function answers "not signed in"
     * itself. A route renamed in template.yaml without updating this set is merely denied, never opened.
     */
    public static final Set<String> SELF_ANSWERING_ROUTES = Set.of("GET /api/me");

    private final Pipeline pipeline;
    private final Sessions sessions;
    private final BearerTokens bearerTokens;

    /** Lambda's constructor: the container's graph. */
    public AuthorizerHandler() {
        this(App.fromEnvironment().pipeline(), App.fromEnvironment().sessions(), App.fromEnvironment().bearerTokens());
    }

    /** Not an {@link HttpHandler}, so it registers its own SnapStart priming. */
    public AuthorizerHandler(Pipeline pipeline, Sessions sessions, BearerTokens bearerTokens) {
        this.pipeline = pipeline;
        this.sessions = sessions;
        this.bearerTokens = bearerTokens;
        SnapStartPriming.register(Function.AUTHORIZER.label(), this, pipeline.log()::info);
    }

    /**
     * A request without a session cookie through the stream path (denied before any store call; its one
     * deny line is logged under the request id {@code snapstart-priming}), then the session lookup's MACs and
     * its one store call, a read.
     */
    @Override
    public void prime(SnapStartPriming priming) {
        priming.step("request pipeline", () -> {
            try {
                handleRequest(HttpHandler.primingEvent("GET", "/api/hello", "", null), OutputStream.nullOutputStream(), null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        sessions.prime(priming, SessionStore.PrimingCall.READ_SESSION, pipeline.clock().instant());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Map<String, Object> answer = handleRequest(HttpApiJson.readEvent(input), context);
        HttpApiJson.writeAuthorizerResponse((Boolean) answer.get("isAuthorized"),
                (Map<String, Object>) answer.get("context"), output);
    }

    /** {@code event}: the authorizer's event, whose request fields have the route event's names. */
    @Override
    public Map<String, Object> handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        HttpRequest request = new HttpRequest(event);
        try {
            if (BearerCredential.present(request)) {
                // The only credential considered: a bad token beside a good cookie is still a bad token.
                Identity caller = bearerTokens.authenticate(BearerCredential.token(request.header("authorization")),
                        pipeline.clock().instant());
                pipeline.log().authorization(request.requestId(), request.routeKey(), "allow", null, "via bearer");
                return AuthorizerResponse.allow(new SignedInUser(caller.sub(), caller.email(), caller.name(),
                        SignedInUser.VIA_BEARER));
            }
            PublicOrigin origin = pipeline.origin(request);
            Sessions.Lookup lookup = sessions.lookup(CookiePolicy.sessionCookie(origin, request), pipeline.clock().instant());
            if (lookup.active().isPresent()) {
                StoredSession s = lookup.active().get().session();
                pipeline.log().authorization(request.requestId(), request.routeKey(), "allow", null, null);
                return AuthorizerResponse.allow(new SignedInUser(s.sub(), s.email(), s.name(),
                        SignedInUser.VIA_SESSION));
            }
            return notSignedIn(request, Failure.NOT_AUTHENTICATED, lookup.whyNot(), null);
        } catch (StoreUnavailableException e) {
            pipeline.metrics().storeError(Function.AUTHORIZER);
            return notSignedIn(request, Failure.STORE_UNAVAILABLE, e.getMessage(), null);
        } catch (SignInException e) {
            return notSignedIn(request, e.failure(), e.getMessage(), e.userDetail());
        } catch (RuntimeException e) {
            // Unexpected: deny, and log the type and where it happened, never the message (it may quote input).
            pipeline.log().authorization(request.requestId(), request.routeKey(), "deny", Failure.INTERNAL.reason(),
                    Log.describeUnexpected(e));
            return AuthorizerResponse.deny();
        }
    }

    private Map<String, Object> notSignedIn(HttpRequest request, Failure failure, String detail, String description) {
        boolean selfAnswering = SELF_ANSWERING_ROUTES.contains(request.routeKey());
        pipeline.log().authorization(request.requestId(), request.routeKey(), selfAnswering ? "anonymous" : "deny",
                failure.reason(), detail);
        return selfAnswering ? AuthorizerResponse.anonymous(failure.reason(), description) : AuthorizerResponse.deny();
    }
}
