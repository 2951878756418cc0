package app.signin.web;

import java.net.URI;
import java.time.Clock;
import java.util.Optional;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.log.Function;
import app.signin.log.Log;
import app.signin.log.Metrics;
import app.signin.session.SignInAgainException;
import app.signin.session.StoreUnavailableException;

/**
 * The HTTP handlers' shared request pipeline, and what it needs whatever the handler: the configured public
 * origin (if any) and cookie domain, the clock, where each request's outcome is logged and counted, and the
 * pages (every handler may answer with an error page). {@link #respond} parses the event, calls the route,
 * maps each failure to its one status and page, and logs and counts the outcome with the request id: no
 * exception reaches Lambda (API Gateway's bare 500), no stack trace reaches a page.
 */
public record Pipeline(Optional<URI> publicBaseUrl, Optional<String> cookieDomain, Clock clock, Log log,
        Metrics metrics, Pages pages) {

    /** This request's public origin ({@link PublicOrigin#of}), with the configured cookie domain. */
    public PublicOrigin origin(HttpRequest request) {
        return PublicOrigin.of(publicBaseUrl, cookieDomain, request);
    }

    /** One request of {@code function} through {@code route}. */
    public APIGatewayV2HTTPResponse respond(Function function, APIGatewayV2HTTPEvent event, Route route) {
        HttpRequest request = new HttpRequest(event);
        PublicOrigin origin = null;
        SignInException failed;
        try {
            origin = origin(request);
            HttpResponse response = route.handle(request, origin, clock.instant());
            SignInException refused = response.refused();
            return logged(function, request, clearingOtherModesSession(response, request, origin).build(origin),
                    refused);
        } catch (RuntimeException e) {
            failed = failure(e);
        }
        HttpResponse error = clearingOtherModesSession(route.errorResponse(request, origin, failed), request, origin);
        return logged(function, request, error.build(origin), failed);
    }

    /** Every answer drops a session cookie left from the other COOKIE_DOMAIN setting ({@link CookiePolicy}). */
    private static HttpResponse clearingOtherModesSession(HttpResponse response, HttpRequest request,
            PublicOrigin origin) {
        if (origin != null) {
            CookiePolicy.clearOtherModesSession(origin, request).forEach(response::cookie);
        }
        return response;
    }

    /**
     * What an exception out of a route (or a function without one) means: a {@link SignInException} as it
     * is, a {@link SignInAgainException} as its failure, the store not answering as {@code STORE_UNAVAILABLE},
     * anything else {@code INTERNAL} - whose log detail is the type and where it happened, never the message
     * (it may quote input).
     */
    public static SignInException failure(RuntimeException e) {
        if (e instanceof SignInException expected) {
            return expected;
        }
        if (e instanceof SignInAgainException again) {
            return new SignInException(again.failure(), again.getMessage());
        }
        if (e instanceof StoreUnavailableException) {
            return new SignInException(Failure.STORE_UNAVAILABLE, e.getMessage(), e);
        }
        return new SignInException(Failure.INTERNAL, Log.describeUnexpected(e));
    }

    private APIGatewayV2HTTPResponse logged(Function function, HttpRequest request, APIGatewayV2HTTPResponse response,
            SignInException failed) {
        outcome(function, request.requestId(), response.getStatusCode(), failed == null ? null : failed.failure(),
                failed == null ? null : failed.getMessage());
        return response;
    }

    /**
     * Logs and counts one request's outcome, once per request and in one place, so a new handler cannot
     * forget to count its store errors. {@code failure} is null on success.
     */
    public void outcome(Function function, String requestId, int status, Failure failure, String detail) {
        String reason = failure == null ? null : failure.reason();
        String outcome = failure == null ? "ok" : failure == Failure.INTERNAL ? "error" : "rejected";
        log.request(function, requestId, status, outcome, reason, detail);
        metrics.requestOutcome(function, reason);
    }

    /** {@link #outcome} of a call without a route (the operators'): 200, or {@code failed}'s status and reason. */
    public void outcome(Function function, String requestId, SignInException failed, String detail) {
        Failure failure = failed == null ? null : failed.failure();
        outcome(function, requestId, failure == null ? 200 : failure.status(), failure, detail);
    }

    /**
     * Logs one authorizer decision ({@code outcome}: allow, deny or anonymous; {@code failure} null when
     * allowed), and counts a store that did not answer as the pages' store errors are counted.
     */
    public void authorization(String requestId, String routeKey, String outcome, Failure failure, String detail) {
        if (failure == Failure.STORE_UNAVAILABLE) {
            metrics.storeError(Function.AUTHORIZER);
        }
        log.authorization(requestId, routeKey, outcome, failure == null ? null : failure.reason(), detail);
    }

    /** {@code route} as {@code function}'s whole Lambda entry point through this pipeline. */
    public HttpApiFunction function(Function function, Route route) {
        return (event, context) -> respond(function, event, route);
    }

    /** The same pipeline, logging and counting nowhere: SnapStart priming's requests are no one's. */
    public Pipeline quiet() {
        Log discard = Log.discard();
        return new Pipeline(publicBaseUrl, cookieDomain, clock, discard, metrics.writingTo(discard), pages);
    }
}
