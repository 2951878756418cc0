package app.signin.handler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

import app.signin.App;
import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.log.Log;
import app.signin.session.Sessions;
import app.signin.session.StoreUnavailableException;
import app.signin.session.StoredSession;
import app.signin.web.CookiePolicy;
import app.signin.web.HttpRequest;
import app.signin.web.PublicOrigin;

/**
 * The HTTP API's Lambda authorizer (REQUEST type, payload format 2.0, simple responses): the session
 * cookie is checked exactly as the index page checks it ({@link Sessions#lookup}, the same code), and the
 * route's function receives the user ({@code sub}, {@code email}, {@code name}) in
 * {@code requestContext.authorizer.lambda} - read it with {@link SignedInUser#from}.
 *
 * <p>Who answers what (API Gateway's answers are fixed; an HTTP API cannot customise them):
 * <ul>
 * <li>no {@code Cookie} header at all: API Gateway itself, 401 {@code {"message":"Unauthorized"}}, without
 * calling this function (the header is the authorizer's identity source);</li>
 * <li>a cookie but no live session: {@code isAuthorized: false}, so API Gateway answers 403
 * {@code {"message":"Forbidden"}} - on every route except those in {@link #SELF_ANSWERING_ROUTES};</li>
 * <li>on a self-answering route ({@code GET /api/me}) the request is let through marked
 * {@code authenticated: false} with the reason, and the function answers 401 (or 503) JSON itself. That is
 * the one place a client gets our own 401 body, so a single-page app can ask "am I signed in?".</li>
 * </ul>
 * Everything else fails closed: a store that does not answer, a malformed request or an unexpected error
 * denies. The sliding session refresh happens here as on the index page, so a user of the API alone does
 * not time out while active.
 */
public final class AuthorizerHandler implements RequestHandler<APIGatewayV2CustomAuthorizerEvent, Map<String, Object>> {
    /**
     * Routes (API Gateway route keys) whose function answers "not signed in" itself. Matched against the
     * route key API Gateway puts in the event - the route it matched, which a client cannot choose. A route
     * renamed in template.yaml without updating this set is merely denied (403), never opened.
     */
    public static final Set<String> SELF_ANSWERING_ROUTES = Set.of("GET /api/me");

    private final App app;

    public AuthorizerHandler() {
        this(App.fromEnvironment());
    }

    public AuthorizerHandler(App app) {
        this.app = app;
    }

    @Override
    public Map<String, Object> handleRequest(APIGatewayV2CustomAuthorizerEvent event, Context context) {
        HttpRequest request = new HttpRequest(asHttpEvent(event));
        String requestId = request.requestId();
        String route = routeKey(event);
        boolean selfAnswering = SELF_ANSWERING_ROUTES.contains(route);
        try {
            PublicOrigin origin = PublicOrigin.of(app.config().publicBaseUrl(), request);
            Sessions.Lookup lookup = app.sessions().lookup(CookiePolicy.sessionCookie(origin, request), app.clock().instant());
            if (lookup.active().isPresent()) {
                StoredSession s = lookup.active().get().session();
                app.log().authorization(requestId, route, "allow", null, null);
                return response(true, new SignedInUser(s.sub(), s.email(), s.name()).toContext());
            }
            return notSignedIn(requestId, route, selfAnswering, Failure.NOT_AUTHENTICATED, lookup.whyNot());
        } catch (StoreUnavailableException e) {
            app.metrics().storeError("authorizer");
            return notSignedIn(requestId, route, selfAnswering, Failure.STORE_UNAVAILABLE, e.getMessage());
        } catch (SignInException e) {
            return notSignedIn(requestId, route, selfAnswering, e.failure(), e.getMessage());
        } catch (RuntimeException e) {
            // Unexpected: deny, and log the type and where it happened, never the message (it may quote input).
            app.log().authorization(requestId, route, "deny", Failure.INTERNAL.reason(), Log.describeUnexpected(e));
            return response(false, Map.of());
        }
    }

    private Map<String, Object> notSignedIn(String requestId, String route, boolean selfAnswering, Failure failure,
            String detail) {
        if (selfAnswering) {
            app.log().authorization(requestId, route, "anonymous", failure.reason(), detail);
            return response(true, SignedInUser.anonymousContext(failure.reason()));
        }
        app.log().authorization(requestId, route, "deny", failure.reason(), detail);
        return response(false, Map.of());
    }

    /** The simple response: {@code {"isAuthorized": ..., "context": {...}}}. */
    private static Map<String, Object> response(boolean authorized, Map<String, Object> context) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("isAuthorized", authorized);
        response.put("context", context);
        return response;
    }

    private static String routeKey(APIGatewayV2CustomAuthorizerEvent event) {
        String key = event.getRouteKey();
        if (key == null && event.getRequestContext() != null) {
            key = event.getRequestContext().getRouteKey();
        }
        return key == null ? "" : key;
    }

    /**
     * The authorizer event carries the same request fields as the route's own event (headers, cookies,
     * path, query, domain name, request id), so it is read through the same {@link HttpRequest} - the cookie
     * parsing and origin rules cannot drift between the index page and the authorizer.
     */
    static APIGatewayV2HTTPEvent asHttpEvent(APIGatewayV2CustomAuthorizerEvent event) {
        var rc = event.getRequestContext();
        var http = rc == null ? null : rc.getHttp();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion(event.getVersion())
                .withRouteKey(event.getRouteKey())
                .withRawPath(event.getRawPath())
                .withRawQueryString(event.getRawQueryString())
                .withHeaders(event.getHeaders())
                .withCookies(event.getCookies())
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withDomainName(rc == null ? null : rc.getDomainName())
                        .withRequestId(rc == null ? null : rc.getRequestId())
                        .withRouteKey(rc == null ? null : rc.getRouteKey())
                        .withStage(rc == null ? null : rc.getStage())
                        .withHttp(http == null ? null : APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(http.getMethod())
                                .withPath(http.getPath())
                                .withProtocol(http.getProtocol())
                                .withSourceIp(http.getSourceIp())
                                .withUserAgent(http.getUserAgent())
                                .build())
                        .build())
                .build();
    }
}
