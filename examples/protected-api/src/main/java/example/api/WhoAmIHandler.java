package example.api;

import java.util.Map;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

/**
 * {@code GET /whoami} of the example API: the sign-in stack's authorizer has already checked the caller
 * (session cookie or Google ID token as bearer token) and put who it is into
 * {@code requestContext.authorizer.lambda}; this function only reads it. It depends on nothing of the
 * sign-in code - the authorizer context ({@code authenticated}, {@code sub}, {@code email}, {@code name},
 * {@code via}) is the whole contract between the two stacks.
 */
public final class WhoAmIHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Map<String, Object> caller = callerOf(event);
        // Refuse rather than serve: only a route deployed without the authorizer (or one named like the
        // sign-in stack's self-answering GET /api/me, which it lets through anonymously) gets here unchecked.
        if (!"true".equals(String.valueOf(caller.get("authenticated"))) || text(caller, "sub").isEmpty()) {
            return json(401, "{\"error\":\"not_signed_in\"}");
        }
        return json(200, "{\"sub\":" + quoted(text(caller, "sub")) + ",\"email\":" + quoted(text(caller, "email"))
                + ",\"name\":" + quoted(text(caller, "name")) + ",\"via\":" + quoted(text(caller, "via")) + "}");
    }

    private static Map<String, Object> callerOf(APIGatewayV2HTTPEvent event) {
        var requestContext = event == null ? null : event.getRequestContext();
        var authorizer = requestContext == null ? null : requestContext.getAuthorizer();
        Map<String, Object> lambda = authorizer == null ? null : authorizer.getLambda();
        return lambda == null ? Map.of() : lambda;
    }

    private static String text(Map<String, Object> caller, String key) {
        return caller.get(key) instanceof String s ? s : "";
    }

    /** A JSON string: quotes, backslashes and control characters escaped (names are user-chosen text). */
    static String quoted(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static APIGatewayV2HTTPResponse json(int status, String body) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status)
                .withHeaders(Map.of("content-type", "application/json", "cache-control", "no-store"))
                .withBody(body).build();
    }
}
