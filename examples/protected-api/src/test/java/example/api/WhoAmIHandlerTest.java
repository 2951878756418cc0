package example.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;

/**
 * The example function over the event API Gateway hands it after the sign-in stack's authorizer allowed
 * the request (events/whoami.json, also what {@code sam local invoke -e} takes). The authorizer itself is
 * exercised by the local runner's tests, which serve this template beside the sign-in one.
 */
class WhoAmIHandlerTest {
    static final Path EVENTS = Path.of("events");

    static APIGatewayV2HTTPEvent event() {
        return EventLoader.loadApiGatewayHttpEvent(EVENTS.resolve("whoami.json").toString());
    }

    @Test
    void anAllowedRequest_answersWhoTheAuthorizerSaidItIs_asJson() {
        APIGatewayV2HTTPResponse r = new WhoAmIHandler().handleRequest(event(), null);

        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(r.getHeaders()).containsEntry("content-type", "application/json")
                .containsEntry("cache-control", "no-store");
        assertThat(r.getBody()).isEqualTo("{\"sub\":\"110169484474386276334\",\"email\":\"ada@example.com\","
                + "\"name\":\"Ada \\\"the first\\\" Lovelace\",\"via\":\"bearer\"}");
    }

    @Test
    void aRequestWithoutTheAuthorizersUser_isRefused_neverServedAnonymously() {
        APIGatewayV2HTTPEvent anonymous = event();
        anonymous.getRequestContext().getAuthorizer().setLambda(Map.of("authenticated", false, "sub", "nobody"));
        APIGatewayV2HTTPEvent noAuthorizer = event();
        noAuthorizer.getRequestContext().setAuthorizer(null);

        assertThat(new WhoAmIHandler().handleRequest(anonymous, null).getStatusCode()).isEqualTo(401);
        assertThat(new WhoAmIHandler().handleRequest(noAuthorizer, null).getStatusCode()).isEqualTo(401);
    }
}
