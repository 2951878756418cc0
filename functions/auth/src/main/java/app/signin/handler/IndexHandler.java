package app.signin.handler;

import java.time.Instant;

import app.signin.App;
import app.signin.session.Sessions;
import app.signin.snapstart.SnapStartPriming;
import app.signin.web.CookiePolicy;
import app.signin.web.HttpRequest;
import app.signin.web.HttpResponse;
import app.signin.web.Pages;
import app.signin.web.PublicOrigin;

/** {@code GET /}: who am I - the signed-in page, or a "Login with Google" link. Never redirects. */
public final class IndexHandler extends HttpHandler {

    /** Lambda's constructor: the container's graph, and SnapStart priming for this function. */
    public IndexHandler() {
        this(App.fromEnvironment());
        SnapStartPriming.register(app, SnapStartPriming.Function.INDEX);
    }

    public IndexHandler(App app) {
        super(app, "index");
    }

    @Override
    HttpResponse handle(HttpRequest request, PublicOrigin origin, Instant now) {
        Sessions.Lookup lookup = app.sessions().lookup(request, origin, now);
        if (lookup.active().isPresent()) {
            Sessions.Active active = lookup.active().get();
            var s = active.session();
            return HttpResponse.html(200, Pages.signedIn(s.email(), s.name(), s.picture(),
                    app.sessions().csrfToken(active.id())));
        }
        HttpResponse response = HttpResponse.html(200, Pages.signedOut());
        if (lookup.cookieSent()) {
            response.cookie(CookiePolicy.clear(lookup.cookieName())); // a dead cookie is dropped, not re-sent forever
        }
        return response;
    }
}
