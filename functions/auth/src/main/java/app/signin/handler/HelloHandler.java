package app.signin.handler;

import java.util.Optional;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.json.Json;
import app.signin.protect.JsonResponses;
import app.signin.protect.SignedInUser;
import app.signin.web.HttpApiFunction;
import app.signin.web.HttpRequest;

/**
 * {@code GET /api/hello}: the example of your own protected function (template.yaml, HelloFunction). The
 * authorizer has already checked the session; the function only reads who is signed in. Copy it, change
 * the body, add a route with {@code Auth: Authorizer: SessionAuthorizer}.
 */
public final class HelloHandler implements HttpApiFunction {

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        HttpRequest request = new HttpRequest(event);
        Optional<SignedInUser> user = SignedInUser.from(event);
        if (user.isEmpty()) {
            // Only if the route lost its authorizer: without a user there is nothing to serve.
            return JsonResponses.notSignedIn(request);
        }
        String name = user.get().name().isEmpty() ? user.get().email() : user.get().name();
        return JsonResponses.ok(request, Json.object().put("message", "Hello, " + name + "!").toString());
    }
}
