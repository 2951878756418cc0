package app.signin.handler;

import java.time.Instant;

import app.signin.App;
import app.signin.log.Function;
import app.signin.session.SentCookie;
import app.signin.session.SessionStore;
import app.signin.session.Sessions;
import app.signin.snapstart.SnapStartPriming;
import app.signin.web.CookiePolicy;
import app.signin.web.HttpRequest;
import app.signin.web.HttpResponse;
import app.signin.web.Pipeline;
import app.signin.web.PublicOrigin;

/** {@code GET /}: who am I - the signed-in page, or the "Sign in with Google" button. Never redirects. */
public final class IndexHandler extends HttpHandler {
    /** The query LogoutHandler's redirect carries, so the page can say "You have been signed out". */
    public static final String SIGNED_OUT_QUERY = "signed_out=1";
    private final Sessions sessions;

    /** Lambda's constructor: the container's graph. */
    public IndexHandler() {
        this(App.fromEnvironment().pipeline(), App.fromEnvironment().sessions());
    }

    public IndexHandler(Pipeline pipeline, Sessions sessions) {
        super(pipeline, Function.INDEX);
        this.sessions = sessions;
    }

    /**
     * The sign-in page (no cookie), then the session lookup's MACs and its one store call, a read; then the
     * signed-in page repeated, to warm the JIT ({@link JitWarming}).
     */
    @Override
    public void prime(SnapStartPriming priming) {
        primingRequest().send(priming, "/", "");
        sessions.prime(priming, SessionStore.PrimingCall.READ_SESSION, pipeline().clock().instant());
        JitWarming.index(priming, pipeline(), sessions);
    }

    @Override
    public HttpResponse handle(HttpRequest request, PublicOrigin origin, Instant now) {
        SentCookie cookie = CookiePolicy.sessionCookie(origin, request);
        Sessions.Lookup lookup = sessions.lookup(cookie, now);
        if (lookup.active().isPresent()) {
            Sessions.Active active = lookup.active().get();
            var s = active.session();
            return pages().signedIn(s.email(), s.name(), s.picture(), sessions.csrfToken(active.id()));
        }
        // LogoutHandler's redirect says "signed out" with a fixed flag: no state, nothing echoed back.
        HttpResponse response = pages().signedOut(request.rawQuery().equals(SIGNED_OUT_QUERY));
        if (cookie.sent()) {
            response.cookie(CookiePolicy.clearSession(origin)); // a dead cookie is dropped, not re-sent forever
        }
        return response;
    }
}
