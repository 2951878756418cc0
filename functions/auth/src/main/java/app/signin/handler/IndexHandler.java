package app.signin.handler;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import app.signin.App;
import app.signin.session.Sessions;
import app.signin.web.CookiePolicy;
import app.signin.web.HttpRequest;
import app.signin.web.HttpResponse;
import app.signin.web.Pages;
import app.signin.web.PublicOrigin;

/** {@code GET /}: who am I - the signed-in page, or a "Login with Google" link. Never redirects. */
public final class IndexHandler extends HttpHandler {

    public IndexHandler() {
        this(App.fromEnvironment());
    }

    public IndexHandler(App app) {
        super(app, "index");
    }

    @Override
    HttpResponse handle(HttpRequest request, PublicOrigin origin, Instant now) {
        String cookieName = CookiePolicy.sessionCookieName(origin);
        List<String> cookies = request.cookies(cookieName);
        Optional<Sessions.SessionId> id = app.sessions().idFromCookie(cookieName, cookies);
        Optional<Sessions.Active> active = id.flatMap(i -> app.sessions().resolve(i, now));
        if (active.isPresent()) {
            var s = active.get().session();
            return HttpResponse.html(200, Pages.signedIn(s.email(), s.name(), s.picture(),
                    app.sessions().csrfToken(id.get())));
        }
        HttpResponse response = HttpResponse.html(200, Pages.signedOut());
        if (!cookies.isEmpty()) {
            response.cookie(CookiePolicy.clear(cookieName)); // a dead cookie is dropped, not re-sent forever
        }
        return response;
    }
}
