package app.signin.web;

import java.time.Instant;

import app.signin.error.SignInException;

/**
 * One route's own part of the shared request pipeline ({@link Pipeline#respond}): its answer, and its answer
 * when that failed. Everything else - parsing the event, the origin, mapping each exception to its failure,
 * logging and counting the outcome - is the pipeline's, the same for every route.
 */
public interface Route {
    /** Handles one request; throws {@link SignInException} for every expected failure. */
    HttpResponse handle(HttpRequest request, PublicOrigin origin, Instant now);

    /** The error response; {@code origin} is null when the request named none we accept. */
    HttpResponse errorResponse(HttpRequest request, PublicOrigin origin, SignInException e);
}
