package app.signin.protect;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Function;

import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.session.Sessions;
import app.signin.web.CookiePolicy;
import app.signin.web.HttpRequest;
import app.signin.web.HttpResponse;
import app.signin.web.PublicOrigin;
import app.signin.web.ReturnTo;

/**
 * For pages only signed-in users may see. A page handler wraps its response in {@link #page}:
 *
 * <pre>{@code
 * return requireLogin.page(request, origin, now, session -> HttpResponse.html(200, myPage(session)));
 * }</pre>
 *
 * With a live session (checked by {@link Sessions#lookup}, the same check as the index page and the API
 * authorizer) the page is built; without one the browser is sent to
 * {@code /login?return_to=<this path and query>} and comes back here after signing in. A dead session
 * cookie is cleared on the way. The function is never called without a session, so a page cannot forget
 * the check.
 *
 * <p>For browser pages only: an API answers 401 JSON instead (see {@link app.signin.handler.MeHandler}), because a script
 * cannot follow a redirect to Google.
 */
public final class RequireLogin {
    private final Sessions sessions;

    public RequireLogin(Sessions sessions) {
        this.sessions = sessions;
    }

    public HttpResponse page(HttpRequest request, PublicOrigin origin, Instant now,
            Function<Sessions.Active, HttpResponse> page) {
        Sessions.Lookup lookup = sessions.lookup(CookiePolicy.sessionCookie(origin, request), now);
        if (lookup.active().isPresent()) {
            return page.apply(lookup.active().get());
        }
        // 303: whatever the method, the browser comes back with a GET.
        HttpResponse redirect = HttpResponse.redirect(303, loginUrl(request, origin));
        if (lookup.cookieSent()) {
            redirect.cookie(CookiePolicy.clearSession(origin));
        }
        return redirect;
    }

    /**
     * For a JSON route of a page function that checks the cookie itself (as {@code /api/sessions} does, to
     * know which session asks): the live session, or {@code NOT_AUTHENTICATED} - a 401, never a redirect.
     */
    public Sessions.Active session(HttpRequest request, PublicOrigin origin, Instant now) {
        Sessions.Lookup lookup = sessions.lookup(CookiePolicy.sessionCookie(origin, request), now);
        return lookup.active().orElseThrow(() -> new SignInException(Failure.NOT_AUTHENTICATED, lookup.whyNot()));
    }

    /**
     * {@code /login?return_to=...} on our own origin. The path and query pass through the same vetting the
     * login handler applies (a path on this site, nothing that normalises into another origin), so what
     * is sent is what will be honoured; anything else returns to {@code /}.
     */
    static String loginUrl(HttpRequest request, PublicOrigin origin) {
        String query = request.rawQuery();
        String here = ReturnTo.sanitize(request.path() + (query.isEmpty() ? "" : "?" + query));
        return origin.url("/login?return_to=" + URLEncoder.encode(here, StandardCharsets.UTF_8));
    }
}
