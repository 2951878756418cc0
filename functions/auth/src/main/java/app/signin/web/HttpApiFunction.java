package app.signin.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

/**
 * A function behind an HTTP API route (payload 2.0). Write {@link #handleRequest(APIGatewayV2HTTPEvent,
 * Context)}; Lambda drives the function through the stream method, whose event and response go through
 * {@link HttpApiJson}, so the runtime never loads its reflection-based Jackson mapping (~830 classes on
 * every cold start). For that, template.yaml must name the class alone, without {@code ::handleRequest}:
 * then the runtime takes the stream interface. The typed method is the same code for callers that hold an
 * event object (tests, the local runner).
 */
public interface HttpApiFunction extends RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>,
        RequestStreamHandler {

    @Override
    default void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        HttpApiJson.writeResponse(handleRequest(HttpApiJson.readEvent(input), context), output);
    }
}
