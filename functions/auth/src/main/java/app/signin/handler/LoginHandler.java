package app.signin.handler;

import java.time.Instant;
import java.util.List;

import app.signin.App;
import app.signin.login.LoginStarter;
import app.signin.snapstart.SnapStartPriming;
import app.signin.web.CookiePolicy;
import app.signin.web.HttpRequest;
import app.signin.web.HttpResponse;
import app.signin.web.PublicOrigin;

/** {@code GET /login[?return_to=/path]}: 302 to the provider with state, nonce and PKCE S256. */
public final class LoginHandler extends HttpHandler {

    /** Lambda's constructor: the container's graph, and SnapStart priming for this function. */
    public LoginHandler() {
        this(App.fromEnvironment());
        SnapStartPriming.register(app, SnapStartPriming.Function.LOGIN);
    }

    public LoginHandler(App app) {
        super(app, "login");
    }

    @Override
    HttpResponse handle(HttpRequest request, PublicOrigin origin, Instant now) {
        LoginStarter.Started started = app.loginStarter()
                .start(origin, request.queryParam("return_to").orElse(null), now);
        HttpResponse response = HttpResponse.redirect(302, started.authorizationUrl()).cookie(started.bindingCookie());
        List<String> held = CookiePolicy.loginCookieNames(origin, request.cookieNames());
        if (held.size() >= CookiePolicy.MAX_LOGIN_COOKIES) {
            // Logins started and never finished: past a handful they are abandoned, not parallel tabs.
            held.forEach(name -> response.cookie(CookiePolicy.clear(name)));
        }
        return response;
    }
}
