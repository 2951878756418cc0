package app.signin.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

/**
 * An HTTP API Lambda authorizer (REQUEST, payload 2.0, simple responses), as {@link HttpApiFunction} is a
 * route's function: write the typed method, which answers {@code {"isAuthorized": ..., "context": {...}}};
 * Lambda drives it through the stream method, whose event and answer go through {@link HttpApiJson}, so the
 * runtime never loads its reflection-based Jackson mapping.
 */
public interface HttpApiAuthorizer extends RequestHandler<APIGatewayV2HTTPEvent, Map<String, Object>>,
        RequestStreamHandler {

    @Override
    @SuppressWarnings("unchecked")
    default void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Map<String, Object> answer = handleRequest(HttpApiJson.readEvent(input), context);
        HttpApiJson.writeAuthorizerResponse((Boolean) answer.get("isAuthorized"),
                (Map<String, Object>) answer.get("context"), output);
    }
}
