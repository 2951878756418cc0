package app.signin.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import app.signin.snapstart.SnapStartPriming;

/**
 * SnapStart priming requests to one {@code function}: harmless requests as API Gateway sends them, on the origin
 * {@code priming.invalid} under the request id {@code snapstart-priming}, each driven through the function's whole
 * stream path - event JSON in, the function, response JSON out (discarded) - once ({@link #send}), or repeated by
 * priming's warming ({@link #request}). A page handler's own go through its pipeline logging and counting nowhere
 * ({@code handler.HttpHandler#primingRequest}). Only priming loads this class.
 */
public record PrimingRequest(RequestStreamHandler function) {

    /**
     * Sends one GET of {@code path} with {@code query} as the priming step "request pipeline". It must be a
     * harmless one, which neither draws randomness nor writes (see the {@code snapstart} package comment).
     */
    public void send(SnapStartPriming priming, String path, String query) {
        priming.step("request pipeline", request("GET", path, query, null, null));
    }

    /**
     * One such request, to run as often as priming likes (its warming): {@code cookie} ({@code name=value}) and
     * {@code body} (a same-origin form POST's) are optional.
     */
    public Runnable request(String method, String path, String query, String cookie, String body) {
        return () -> {
            try {
                function.handleRequest(event(method, path, query, cookie, body), OutputStream.nullOutputStream(), null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** The public origin the priming requests have under {@code pipeline}: the configured one, else theirs. */
    public static PublicOrigin origin(Pipeline pipeline) {
        try {
            return pipeline.origin(new HttpRequest(HttpApiJson.readEvent(event("GET", "/", "", null, null))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A priming request's event as API Gateway sends it, on the origin {@code priming.invalid}. */
    static InputStream event(String method, String path, String query, String cookie, String body) {
        String event = "{\"version\":\"2.0\",\"routeKey\":\"" + method + " " + path + "\",\"rawPath\":\"" + path
                + "\",\"rawQueryString\":\"" + query + "\",\"headers\":{\"accept\":\"text/html\",\"user-agent\":"
                + "\"snapstart-priming\"" + (body == null ? "" : ",\"content-type\":\"application/x-www-form-urlencoded\","
                        + "\"sec-fetch-site\":\"same-origin\"") + "},"
                + (cookie == null ? "" : "\"cookies\":[\"" + cookie + "\"],")
                + (body == null ? "" : "\"body\":\"" + body + "\",")
                + "\"requestContext\":{\"domainName\":\"priming.invalid\",\"requestId\":\"snapstart-priming\","
                + "\"http\":{\"method\":\"" + method + "\",\"path\":\"" + path + "\",\"protocol\":\"HTTP/1.1\","
                + "\"sourceIp\":\"127.0.0.1\"}},\"isBase64Encoded\":false}";
        return new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8));
    }
}
