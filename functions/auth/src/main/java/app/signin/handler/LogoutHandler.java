package app.signin.handler;

import java.time.Instant;

import app.signin.App;
import app.signin.error.SignInException;
import app.signin.log.Function;
import app.signin.login.SignOut;
import app.signin.session.SentCookie;
import app.signin.snapstart.SnapStartPriming;
import app.signin.web.CookiePolicy;
import app.signin.web.HttpRequest;
import app.signin.web.HttpResponse;
import app.signin.web.Pipeline;
import app.signin.web.PublicOrigin;
import app.signin.web.SameOrigin;

/**
 * {@code POST /logout} ends the session ({@link SignOut}) - with {@code everywhere=true} every session of its
 * user, this one included - clears the cookie and 303s to {@code /?signed_out=1} (the page then says so).
 * {@code GET /logout} only shows the Sign out button and never ends anything. Cross-site requests are
 * refused twice over, neither check needing the store: the browser's {@code Origin} / {@code Sec-Fetch-Site}
 * headers must name this site ({@link SameOrigin}), and the form must carry the session's CSRF token.
 */
public final class LogoutHandler extends HttpHandler {
    private final SignOut signOut;

    /** Lambda's constructor: the container's graph. */
    public LogoutHandler() {
        this(App.fromEnvironment().pipeline(), App.fromEnvironment().signOut());
    }

    public LogoutHandler(Pipeline pipeline, SignOut signOut) {
        super(pipeline, Function.LOGOUT);
        this.signOut = signOut;
    }

    /** The signed-out page, {@link SignOut}'s own priming, then the JIT warming ({@link JitWarming#logout}). */
    @Override
    public void prime(SnapStartPriming priming) {
        primingRequest().send(priming, "/logout", "");
        signOut.prime(priming, pipeline().clock().instant());
        JitWarming.logout(priming, pipeline(), signOut);
    }

    @Override
    public HttpResponse handle(HttpRequest request, PublicOrigin origin, Instant now) {
        SentCookie cookie = CookiePolicy.sessionCookie(origin, request);
        if (!"POST".equals(request.method())) {
            return signOut.csrfToken(cookie).map(pages()::confirmSignOut).orElseGet(() -> pages().signedOut(false));
        }
        SameOrigin.require(request, origin);
        signOut.end(cookie, CookiePolicy.isEverywhere(request), () -> request.formField("csrf").orElse(null), now);
        HttpResponse response = HttpResponse.redirect(303, origin.url("/?" + IndexHandler.SIGNED_OUT_QUERY));
        return cookie.sent() ? response.cookie(CookiePolicy.clearSession(origin)) : response;
    }

    /** A failed sign-out may still clear the cookie: {@link CookiePolicy#clearAfterFailedLogout} says when. */
    @Override
    public HttpResponse errorResponse(HttpRequest request, PublicOrigin origin, SignInException e) {
        return CookiePolicy.clearAfterFailedLogout(super.errorResponse(request, origin, e), origin, request, e.failure());
    }
}
