package app.signin.web;

import java.net.URI;
import java.time.Clock;
import java.util.Optional;

import app.signin.error.Failure;
import app.signin.log.Function;
import app.signin.log.Log;
import app.signin.log.Metrics;

/**
 * What the HTTP handlers' shared request pipeline needs, whatever the handler: the configured public
 * origin (if any) and cookie domain, the clock, where each request's outcome is logged and counted, and the pages (every
 * handler may answer with an error page).
 */
public record Pipeline(Optional<URI> publicBaseUrl, Optional<String> cookieDomain, Clock clock, Log log,
        Metrics metrics, Pages pages) {

    /** This request's public origin ({@link PublicOrigin#of}), with the configured cookie domain. */
    public PublicOrigin origin(HttpRequest request) {
        return PublicOrigin.of(publicBaseUrl, cookieDomain, request);
    }

    /**
     * Logs and counts one request's outcome, once per request and in one place, so a new handler cannot
     * forget to count its store errors. {@code failure} is null on success.
     */
    public void outcome(Function handler, String requestId, int status, Failure failure, String detail) {
        String reason = failure == null ? null : failure.reason();
        String outcome = failure == null ? "ok" : failure == Failure.INTERNAL ? "error" : "rejected";
        log.request(handler, requestId, status, outcome, reason, detail);
        metrics.requestOutcome(handler, reason);
    }

    /** The same pipeline, logging and counting nowhere: SnapStart priming's requests are no one's. */
    public Pipeline quiet() {
        Log discard = Log.discard();
        return new Pipeline(publicBaseUrl, cookieDomain, clock, discard, metrics.writingTo(discard), pages);
    }
}
