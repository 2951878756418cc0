package app.signin.handler;

import java.time.Instant;

import app.signin.App;
import app.signin.log.Function;
import app.signin.protect.RequireLogin;
import app.signin.session.Sessions;
import app.signin.session.UserSessions;
import app.signin.snapstart.SnapStartPriming;
import app.signin.web.HttpRequest;
import app.signin.web.HttpResponse;
import app.signin.web.Pages;
import app.signin.web.Pipeline;
import app.signin.web.PublicOrigin;
import app.signin.web.SessionsPage;

/**
 * {@code GET /sessions}: the user's live sessions ({@link UserSessions#list}) as a page (signed out: 303 to
 * the login); {@code GET /api/sessions}: as JSON (signed out: 401, and every error JSON, as under any
 * {@code /api/} path). One read and one index Query. The API checks the cookie itself, not behind the
 * authorizer: it must know which session asks, to mark it current.
 */
public final class SessionsHandler extends HttpHandler {
    static final String API_PATH = "/api/sessions";
    private final Sessions sessions;
    private final UserSessions userSessions;
    private final RequireLogin requireLogin;

    /** Lambda's constructor: the container's graph. */
    public SessionsHandler() {
        this(App.fromEnvironment().pipeline(), App.fromEnvironment().sessions(), App.fromEnvironment().userSessions());
    }

    public SessionsHandler(Pipeline pipeline, Sessions sessions, UserSessions userSessions) {
        super(pipeline, Function.SESSIONS);
        this.sessions = sessions;
        this.userSessions = userSessions;
        this.requireLogin = new RequireLogin(sessions);
    }

    /** Both routes signed out (a redirect, a 401 - no store call), then {@link UserSessions#primeList}. */
    @Override
    public void prime(SnapStartPriming priming) {
        primingRequest().send(priming, Pages.SESSIONS, "");
        primingRequest().send(priming, API_PATH, "");
        userSessions.primeList(priming, pipeline().clock().instant());
    }

    @Override
    public HttpResponse handle(HttpRequest request, PublicOrigin origin, Instant now) {
        if (API_PATH.equals(request.path())) {
            Sessions.Active active = requireLogin.session(request, origin, now);
            return HttpResponse.json(200, SessionsPage.json(userSessions.list(active, now)));
        }
        return requireLogin.page(request, origin, now,
                active -> pages().sessions(userSessions.list(active, now), sessions.csrfToken(active.id()), now));
    }
}
