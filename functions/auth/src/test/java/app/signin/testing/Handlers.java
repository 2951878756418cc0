package app.signin.testing;

import java.util.Map;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.App;
import app.signin.handler.Wiring;

/**
 * The routes of template.yaml, each bound to its handler over one shared graph. The routes behind the
 * authorizer are called directly: {@code /api/google/userinfo} checks the session cookie itself.
 */
public final class Handlers {
    private Handlers() {
    }

    public static Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> routes(App app) {
        var sessions = Wiring.sessions(app);
        return Map.of("/", Wiring.index(app), "/login", Wiring.login(app), "/callback",
                Wiring.callback(app), "/logout", Wiring.logout(app),
                "/api/google/userinfo", Wiring.googleUserinfo(app), "/sessions", sessions, "/api/sessions", sessions,
                "/sessions/end", Wiring.endSession(app));
    }
}
