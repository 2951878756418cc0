package app.signin.handler;

import java.time.Instant;

import app.signin.App;
import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.log.Function;
import app.signin.login.SignOut;
import app.signin.session.SentCookie;
import app.signin.snapstart.SnapStartPriming;
import app.signin.web.CookiePolicy;
import app.signin.web.HttpRequest;
import app.signin.web.HttpResponse;
import app.signin.web.Pages;
import app.signin.web.Pipeline;
import app.signin.web.PublicOrigin;
import app.signin.web.SameOrigin;

/**
 * {@code POST /sessions/end} (form: {@code csrf}, {@code session=<handle>}) ends one of the user's sessions
 * ({@link SignOut#endOne}), then 303 back to {@code /sessions} - or to {@code /}, the cookie cleared, when
 * it was this browser's own. Another user's handle, or one already ended, is answered like one that ended.
 * Logout's cross-site defences: {@link SameOrigin}, then the CSRF token, both before any store call.
 */
public final class EndSessionHandler extends HttpHandler {
    private final SignOut signOut;

    /** Lambda's constructor: the container's graph. */
    public EndSessionHandler() {
        this(App.fromEnvironment().pipeline(), App.fromEnvironment().signOut());
    }

    public EndSessionHandler(Pipeline pipeline, SignOut signOut) {
        super(pipeline, Function.END_SESSION);
        this.signOut = signOut;
    }

    /** A GET (refused before any store call), then {@link SignOut}'s own priming. */
    @Override
    public void prime(SnapStartPriming priming) {
        primingRequest().send(priming, Pages.END_SESSION, "");
        signOut.prime(priming, pipeline().clock().instant());
    }

    @Override
    public HttpResponse handle(HttpRequest request, PublicOrigin origin, Instant now) {
        if (!"POST".equals(request.method())) {
            throw new SignInException(Failure.BAD_REQUEST, "ending a session is a POST");
        }
        SameOrigin.require(request, origin);
        SentCookie cookie = CookiePolicy.sessionCookie(origin, request);
        SignOut.Ended ended = signOut.endOne(cookie, () -> request.formField("csrf").orElse(null),
                request.formField("session").orElse(null), now);
        // Signed out (or just ended its own session): a cookie still sent is dropped on the way.
        HttpResponse response = HttpResponse.redirect(303,
                origin.url(ended == SignOut.Ended.CURRENT ? "/" : Pages.SESSIONS));
        return ended != SignOut.Ended.OTHER && cookie.sent() ? response.cookie(CookiePolicy.clearSession(origin)) : response;
    }
}
