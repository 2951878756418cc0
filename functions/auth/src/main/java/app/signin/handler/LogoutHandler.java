package app.signin.handler;

import java.time.Instant;

import app.signin.App;
import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.log.Function;
import app.signin.login.SignOut;
import app.signin.session.SentCookie;
import app.signin.session.Sessions;
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
        super(pipeline, Function.LOGOUT, "/logout");
        this.signOut = signOut;
    }

    /**
     * GET without a session (the signed-out page), then {@link SignOut}'s own priming; then the Sign out page
     * and POST repeated on throwaway sessions, to warm the JIT ({@link JitWarming}).
     */
    @Override
    public void prime(SnapStartPriming priming) {
        super.prime(priming);
        signOut.prime(priming, pipeline().clock().instant());
        JitWarming.logout(priming, this, signOut.sessions());
    }

    /** This handler over a throwaway copy of its sessions, for priming's warming requests. */
    LogoutHandler over(Sessions throwaway) {
        return new LogoutHandler(pipeline(), signOut.over(throwaway));
    }

    @Override
    public HttpResponse handle(HttpRequest request, PublicOrigin origin, Instant now) {
        SentCookie cookie = CookiePolicy.sessionCookie(origin, request);
        if (!"POST".equals(request.method())) {
            return signOut.csrfToken(cookie).map(pages()::confirmSignOut).orElseGet(() -> pages().signedOut(false));
        }
        SameOrigin.require(request, origin);
        if (isEverywhere(request)) {
            signOut.endEverywhere(cookie, () -> request.formField("csrf").orElse(null), now);
        } else {
            signOut.end(cookie, () -> request.formField("csrf").orElse(null));
        }
        HttpResponse response = HttpResponse.redirect(303, origin.url("/?" + IndexHandler.SIGNED_OUT_QUERY));
        return cookie.sent() ? response.cookie(CookiePolicy.clearSession(origin)) : response;
    }

    /** {@code everywhere=true} on the form: every session of the user ({@link SignOut#endEverywhere}). */
    private static boolean isEverywhere(HttpRequest request) {
        return request.formField("everywhere").filter("true"::equals).isPresent();
    }

    /**
     * Whatever went wrong with the store, this browser is signed out: the cookie is cleared on a 503 too.
     * A refused cross-site request keeps it - clearing it would be the very logout CSRF we refuse.
     */
    @Override
    public HttpResponse errorResponse(HttpRequest request, PublicOrigin origin, SignInException e) {
        HttpResponse response = super.errorResponse(request, origin, e);
        // Except for "everywhere" interrupted: this session is kept so the button can be pressed again.
        if (e.failure() == Failure.STORE_UNAVAILABLE && origin != null && "POST".equals(request.method())
                && !isEverywhere(request)) {
            response.cookie(CookiePolicy.clearSession(origin));
        }
        return response;
    }
}
