package app.signin.handler;

import java.time.Instant;
import java.util.Set;

import app.signin.App;
import app.signin.log.Function;
import app.signin.login.LoginStarter;
import app.signin.net.WebOrigin;
import app.signin.snapstart.SnapStartPriming;
import app.signin.web.CookiePolicy;
import app.signin.web.HttpRequest;
import app.signin.web.HttpResponse;
import app.signin.web.Pipeline;
import app.signin.web.PublicOrigin;
import app.signin.web.ReturnTo;

/**
 * {@code GET /login[?return_to=/path]}: 302 to the provider with state, nonce and PKCE S256. {@code return_to}
 * may also be an absolute URL on one of the sibling sites ({@code ALLOWED_RETURN_ORIGINS}).
 */
public final class LoginHandler extends HttpHandler {
    private final LoginStarter loginStarter;
    private final Set<WebOrigin> returnOrigins;

    /** Lambda's constructor: the container's graph. */
    public LoginHandler() {
        this(App.fromEnvironment().pipeline(), App.fromEnvironment().loginStarter(),
                App.fromEnvironment().config().allowedReturnOrigins());
    }

    public LoginHandler(Pipeline pipeline, LoginStarter loginStarter, Set<WebOrigin> returnOrigins) {
        super(pipeline, Function.LOGIN);
        this.loginStarter = loginStarter;
        this.returnOrigins = Set.copyOf(returnOrigins);
    }

    /**
     * Every login draws state, nonce and verifier, so the priming request goes through a copy of this handler
     * whose starter has its own random source and an in-memory store - once, then repeated to warm the JIT
     * ({@link JitWarming#login}); and {@link LoginStarter}'s own priming.
     */
    @Override
    public void prime(SnapStartPriming priming) {
        JitWarming.login(priming, pipeline(), loginStarter, returnOrigins);
        loginStarter.prime(priming, pipeline().clock().instant());
    }

    @Override
    public HttpResponse handle(HttpRequest request, PublicOrigin origin, Instant now) {
        String returnTo = ReturnTo.sanitize(request.queryParam("return_to").orElse(null), returnOrigins);
        LoginStarter.Started started = loginStarter.start(CookiePolicy.names(origin), origin.redirectUri(), returnTo,
                CookiePolicy.sessionCookie(origin, request), now);
        HttpResponse response = HttpResponse.redirect(302, started.authorizationUrl())
                .cookie(CookiePolicy.set(started.cookieName(), started.cookieValue(), started.cookieLifetime()));
        return CookiePolicy.clearAbandonedLogins(response, origin, request);
    }
}
