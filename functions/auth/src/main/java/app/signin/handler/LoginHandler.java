package app.signin.handler;

import java.time.Instant;

import app.signin.App;
import app.signin.login.LoginStarter;
import app.signin.web.HttpRequest;
import app.signin.web.HttpResponse;
import app.signin.web.PublicOrigin;

/** {@code GET /login[?return_to=/path]}: 302 to the provider with state, nonce and PKCE S256. */
public final class LoginHandler extends HttpHandler {

    public LoginHandler() {
        this(App.fromEnvironment());
    }

    public LoginHandler(App app) {
        super(app, "login");
    }

    @Override
    HttpResponse handle(HttpRequest request, PublicOrigin origin, Instant now) {
        LoginStarter.Started started = app.loginStarter()
                .start(origin, request.queryParam("return_to").orElse(null), now);
        return HttpResponse.redirect(302, started.authorizationUrl()).cookie(started.bindingCookie());
    }
}
