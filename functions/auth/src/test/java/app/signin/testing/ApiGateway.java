package app.signin.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.protect.Authorizer;

/**
 * What API Gateway does for a route with a Lambda authorizer (REQUEST, payload 2.0, simple responses,
 * identity source {@code $context.routeKey} alone, no caching), as documented for HTTP APIs:
 * <ol>
 * <li>an identity source missing would be API Gateway's 401 {@code {"message":"Unauthorized"}} without
 * calling the authorizer - but the route key is always there, so every request reaches it;</li>
 * <li>the authorizer gets the payload 2.0 authorizer event - here the route's event itself: the
 * authorizer event carries the same request fields under the same names, and those are all the authorizer
 * reads (the stream path reads the real one from {@code events/authorizer.json}, see OpsSampleEventsTest;
 * the local runner builds it in full, {@code HttpApiEvents.toAuthorizerEvent});</li>
 * <li>{@code isAuthorized: false}: 403 {@code {"message":"Forbidden"}}, the function is not called;</li>
 * <li>{@code isAuthorized: true}: the function is called with the context in
 * {@code requestContext.authorizer.lambda}.</li>
 * </ol>
 * It plays this stack's own HttpApi, so every event carries that API's stage variables (template.yaml's
 * {@code StageVariables}, checked there by ApiTemplateTest), as API Gateway passes them to the authorizer and
 * the function. It counts what it calls, so tests can show which component answered.
 */
public final class ApiGateway implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    public final AtomicInteger authorizerCalls = new AtomicInteger();
    public final AtomicInteger functionCalls = new AtomicInteger();

    private final RequestHandler<APIGatewayV2HTTPEvent, Map<String, Object>> authorizer;
    private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function;

    /** The stage variables of this stack's HttpApi. */
    public static final Map<String, String> STAGE_VARIABLES =
            Map.of(Authorizer.OWN_API_STAGE_VARIABLE, Authorizer.OWN_API);

    public ApiGateway(RequestHandler<APIGatewayV2HTTPEvent, Map<String, Object>> authorizer,
            RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function) {
        this.authorizer = authorizer;
        this.function = function;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, com.amazonaws.services.lambda.runtime.Context ctx) {
        if (event.getStageVariables() == null) {
            event.setStageVariables(STAGE_VARIABLES);
        }
        authorizerCalls.incrementAndGet();
        Map<String, Object> decision = authorizer.handleRequest(event, null);
        if (!Boolean.TRUE.equals(decision.get("isAuthorized"))) {
            return gatewayAnswer(403, "Forbidden");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> context = (Map<String, Object>) decision.getOrDefault("context", Map.of());
        for (Object value : context.values()) {
            if (value == null) {
                return gatewayAnswer(500, "Internal Server Error"); // API Gateway refuses null context values
            }
        }
        event.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withLambda(new LinkedHashMap<>(context)).build());
        functionCalls.incrementAndGet();
        return function.handleRequest(event, null);
    }

    public static APIGatewayV2HTTPResponse gatewayAnswer(int status, String message) {
        APIGatewayV2HTTPResponse r = new APIGatewayV2HTTPResponse();
        r.setStatusCode(status);
        r.setHeaders(Map.of("content-type", "application/json"));
        r.setBody("{\"message\":\"" + message + "\"}");
        return r;
    }

}
