package app.signin.testing;

import java.util.Map;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.App;
import app.signin.handler.CallbackHandler;
import app.signin.handler.IndexHandler;
import app.signin.handler.LoginHandler;
import app.signin.handler.LogoutHandler;
import app.signin.handler.Wiring;

/** The routes of template.yaml, each bound to its handler over one shared graph. */
public final class Handlers {
    private Handlers() {
    }

    public static Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> routes(App app) {
        return Map.of("/", Wiring.index(app), "/login", Wiring.login(app), "/callback",
                Wiring.callback(app), "/logout", Wiring.logout(app));
    }
}
