package app.signin.handler;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.log.Function;
import app.signin.log.Log;
import app.signin.session.StoreUnavailableException;
import app.signin.snapstart.Primeable;
import app.signin.snapstart.SnapStartPriming;
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
 *
 * <p>Every handler is also its function's SnapStart priming ({@link Primeable}), registered here once for
 * all of them: a subclass says what it primes by overriding {@link #prime} (see the {@code snapstart}
 * package comment).
 */
public abstract class HttpHandler implements HttpApiFunction, Primeable {
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

    /** Handles one request; throws {@link SignInException} for every expected failure. */
    abstract HttpResponse handle(HttpRequest request, PublicOrigin origin, Instant now);

    /** The error response; {@code origin} is null when the request named none we accept. */
    HttpResponse errorResponse(HttpRequest request, PublicOrigin origin, SignInException e) {
        return pipeline.pages().failure(e, request.requestId());
    }

    @Override
    public final APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return respond(event, pipeline);
    }

    /** The priming every handler shares: a harmless request (see {@link #primeRequest}) on {@code path}. */
    @Override
    public void prime(SnapStartPriming priming) {
        primeRequest(priming, "GET", primingPath(), "", null);
    }

    Pipeline pipeline() {
        return pipeline;
    }

    /** Where this handler's harmless priming request goes: one that neither draws randomness nor writes. */
    abstract String primingPath();

    /**
     * One request through the whole stream path - event JSON in, this handler, response JSON out - on the
     * origin {@code priming.invalid}, logged and counted nowhere (the request is no one's).
     */
    final void primeRequest(SnapStartPriming priming, String method, String path, String query, String cookie) {
        priming.step("request pipeline", () -> {
            try {
                APIGatewayV2HTTPEvent parsed = HttpApiJson.readEvent(primingEvent(method, path, query, cookie));
                HttpApiJson.writeResponse(respond(parsed, pipeline.quiet()), OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A priming request's event as API Gateway sends it, on the origin {@code priming.invalid}. */
    static InputStream primingEvent(String method, String path, String query, String cookie) {
        String event = "{\"version\":\"2.0\",\"routeKey\":\"" + method + " " + path + "\",\"rawPath\":\"" + path
                + "\",\"rawQueryString\":\"" + query + "\",\"headers\":{\"accept\":\"text/html\",\"user-agent\":"
                + "\"snapstart-priming\"}," + (cookie == null ? "" : "\"cookies\":[\"" + cookie + "\"],")
                + "\"requestContext\":{\"domainName\":\"priming.invalid\",\"requestId\":\"snapstart-priming\","
                + "\"http\":{\"method\":\"" + method + "\",\"path\":\"" + path + "\",\"protocol\":\"HTTP/1.1\","
                + "\"sourceIp\":\"127.0.0.1\"}},\"isBase64Encoded\":false}";
        return new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8));
    }

    private APIGatewayV2HTTPResponse respond(APIGatewayV2HTTPEvent event, Pipeline pipeline) {
        HttpRequest request = new HttpRequest(event);
        PublicOrigin origin = null;
        SignInException failed;
        String detail;
        try {
            origin = pipeline.origin(request);
            HttpResponse response = handle(request, origin, pipeline.clock().instant());
            SignInException refused = response.refused();
            return logged(pipeline, request, response.build(origin), refused == null ? null : refused.failure(),
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
        return logged(pipeline, request, errorResponse(request, origin, failed).build(origin), failed.failure(), detail);
    }

    private APIGatewayV2HTTPResponse logged(Pipeline pipeline, HttpRequest request, APIGatewayV2HTTPResponse response,
            Failure failure, String detail) {
        pipeline.outcome(function, request.requestId(), response.getStatusCode(), failure, detail);
        return response;
    }
}
