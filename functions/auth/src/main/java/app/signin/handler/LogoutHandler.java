package app.signin.handler;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import app.signin.App;
import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.session.Sessions;
import app.signin.session.StoreUnavailableException;
import app.signin.snapstart.SnapStartPriming;
import app.signin.web.CookiePolicy;
import app.signin.web.HttpRequest;
import app.signin.web.HttpResponse;
import app.signin.web.Pages;
import app.signin.web.PublicOrigin;

/**
 * {@code POST /logout} ends the session: delete the item, revoke Google's token (best effort), clear the
 * cookie, 303 to {@code /}. {@code GET /logout} only shows the Sign out button and never ends anything.
 *
 * <p>Cross-site requests are refused twice over: the {@code Origin} / {@code Sec-Fetch-Site} headers a
 * browser sets must name this site, and the form must carry the session's CSRF token. Neither check needs
 * the store.
 */
public final class LogoutHandler extends HttpHandler {

    /** Lambda's constructor: the container's graph, and SnapStart priming for this function. */
    public LogoutHandler() {
        this(App.fromEnvironment());
        SnapStartPriming.register(app, SnapStartPriming.Function.LOGOUT);
    }

    public LogoutHandler(App app) {
        super(app, "logout");
    }

    @Override
    HttpResponse handle(HttpRequest request, PublicOrigin origin, Instant now) {
        String cookieName = CookiePolicy.sessionCookieName(origin);
        List<String> cookies = request.cookies(cookieName);
        Optional<Sessions.SessionId> id = app.sessions().idFromCookie(cookieName, cookies);
        if (!"POST".equals(request.method())) {
            return HttpResponse.html(200, id.map(i -> Pages.confirmSignOut(app.sessions().csrfToken(i)))
                    .orElseGet(Pages::signedOut));
        }
        requireSameOrigin(request, origin);
        if (id.isPresent()) {
            String token = single(request.form().get("csrf"));
            if (!app.sessions().csrfMatches(id.get(), token)) {
                throw new SignInException(Failure.CSRF_REJECTED, "logout form without a valid CSRF token");
            }
            try {
                Optional<Sessions.Active> ended = app.sessions().end(id.get());
                if (ended.isPresent()) {
                    app.metrics().sessionEnded();
                }
                ended.flatMap(app.sessions()::revocableToken).ifPresent(app.provider()::revoke);
            } catch (StoreUnavailableException e) {
                throw new SignInException(Failure.STORE_UNAVAILABLE, "session not deleted; cookie cleared",
                        "You are signed out in this browser; the server will forget the session when it expires.", e);
            }
        }
        HttpResponse response = HttpResponse.redirect(303, origin.url("/"));
        if (!cookies.isEmpty()) {
            response.cookie(CookiePolicy.clear(cookieName));
        }
        return response;
    }

    /**
     * Browsers send {@code Sec-Fetch-Site} and {@code Origin} on every form POST; when present they must say
     * "this site". A client that sends neither still needs the CSRF token, which only our page carries.
     */
    private static void requireSameOrigin(HttpRequest request, PublicOrigin origin) {
        Optional<String> site = request.header("sec-fetch-site");
        if (site.isPresent() && !site.get().equals("same-origin") && !site.get().equals("none")) {
            throw new SignInException(Failure.CSRF_REJECTED, "sec-fetch-site=" + site.get().replaceAll("[^a-z-]", ""));
        }
        // Every page is served with Referrer-Policy: no-referrer, under which browsers send "Origin: null" on
        // the site's own form POSTs (Fetch: the origin is serialised per the referrer policy). "null" names no
        // site, so it counts as absent: Sec-Fetch-Site above and the CSRF token decide.
        Optional<String> requestOrigin = request.header("origin").filter(o -> !o.equals("null"));
        if (requestOrigin.isPresent() && !requestOrigin.get().equals(origin.origin())) {
            throw new SignInException(Failure.CSRF_REJECTED, "cross-origin logout");
        }
    }

    private static String single(List<String> values) {
        return values == null || values.size() != 1 ? null : values.getFirst();
    }

    /**
     * Whatever went wrong with the store, this browser is signed out: the cookie is cleared on a 503 too.
     * A refused cross-site request keeps it - clearing it would be the very logout CSRF we refuse.
     */
    @Override
    HttpResponse errorResponse(HttpRequest request, PublicOrigin origin, SignInException e) {
        HttpResponse response = super.errorResponse(request, origin, e);
        if (e.failure() == Failure.STORE_UNAVAILABLE && origin != null && "POST".equals(request.method())) {
            response.cookie(CookiePolicy.clear(CookiePolicy.sessionCookieName(origin)));
        }
        return response;
    }
}
