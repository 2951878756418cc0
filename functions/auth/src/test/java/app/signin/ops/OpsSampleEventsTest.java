package app.signin.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;

import app.signin.handler.AuthorizerHandler;
import app.signin.handler.HealthHandler;
import app.signin.handler.MeHandler;
import app.signin.testing.Browser;
import app.signin.testing.Handlers;
import app.signin.testing.ProviderAndTable;

/**
 * The sample events for the new functions ({@code sam local invoke AuthorizerFunction -e
 * events/authorizer.json}, ...), loaded by the same deserializer the Lambda Java runtime uses.
 */
class OpsSampleEventsTest extends ProviderAndTable {


    static APIGatewayV2CustomAuthorizerEvent authorizerEvent() {
        return EventLoader.loadAPIGatewayV2CustomAuthorizerEvent(EVENTS.resolve("authorizer.json").toString());
    }

    @Test
    void authorizerEvent_isAPayload2RequestEvent_asTheRuntimeDeserializesIt() {
        APIGatewayV2CustomAuthorizerEvent e = authorizerEvent();
        assertThat(e.getVersion()).isEqualTo("2.0");
        assertThat(e.getType()).isEqualTo("REQUEST");
        assertThat(e.getRouteKey()).isEqualTo("GET /api/hello");
        assertThat(e.getCookies()).singleElement().asString().startsWith("__Host-session=v1.");
        assertThat(e.getRequestContext().getRequestId()).isEqualTo("Rk3NbhWwjoEEJ2w=");
        assertThat(e.getRequestContext().getDomainName()).isEqualTo(Browser.DOMAIN);
    }

    @Test
    void authorizerEvent_withACookieSignedByAnotherKey_isDenied() {
        Map<String, Object> r = new AuthorizerHandler(app).handleRequest(authorizerEvent(), null);

        assertThat(r).containsEntry("isAuthorized", false).containsEntry("context", Map.of());
    }

    @Test
    void authorizerEvent_onTheApiMeRoute_isLetThroughAsNotSignedIn() {
        APIGatewayV2CustomAuthorizerEvent e = authorizerEvent();
        e.setRouteKey("GET /api/me");

        Map<String, Object> r = new AuthorizerHandler(app).handleRequest(e, null);

        assertThat(r).containsEntry("isAuthorized", true)
                .containsEntry("context", Map.of("authenticated", false, "reason", "not_authenticated"));
    }

    @Test
    void authorizerEvent_withALiveSessionCookie_isAllowed_withTheUserInTheContext() {
        Browser browser = new Browser(Handlers.routes(app));
        APIGatewayV2HTTPResponse login = browser.get("/login");
        provider.nextUser("110169484474386276334", "alice@example.com");
        URI back = provider.authorize(login.getHeaders().get("location"));
        browser.get(back.getRawPath() + "?" + back.getRawQuery());
        APIGatewayV2CustomAuthorizerEvent e = authorizerEvent();
        e.setCookies(browser.cookieList());

        Map<String, Object> r = new AuthorizerHandler(app).handleRequest(e, null);

        assertThat(r).containsEntry("isAuthorized", true).containsEntry("context", Map.of("authenticated", true,
                "sub", "110169484474386276334", "email", "alice@example.com", "name", "Test 110169484474386276334"));
    }

    @Test
    void meEvent_answersTheUserTheAuthorizerHandedOver() {
        APIGatewayV2HTTPEvent e = EventLoader.loadApiGatewayHttpEvent(EVENTS.resolve("me.json").toString());

        APIGatewayV2HTTPResponse r = new MeHandler().handleRequest(e, null);

        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(r.getBody()).isEqualTo(
                "{\"sub\":\"110169484474386276334\",\"email\":\"alice@example.com\",\"name\":\"Alice Example\"}");
        assertThat(r.getHeaders()).containsKey("strict-transport-security");
    }

    @Test
    void healthEvent_isOk() {
        APIGatewayV2HTTPEvent e = EventLoader.loadApiGatewayHttpEvent(EVENTS.resolve("health.json").toString());

        APIGatewayV2HTTPResponse r = new HealthHandler(app).handleRequest(e, null);

        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(r.getBody()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void newSampleEvents_areHttpApiPayload2Events_likeTheOthers() {
        for (String name : List.of("me.json", "health.json")) {
            APIGatewayV2HTTPEvent e = EventLoader.loadApiGatewayHttpEvent(EVENTS.resolve(name).toString());
            assertThat(e.getVersion()).as(name).isEqualTo("2.0");
            assertThat(e.getRequestContext().getDomainName()).as(name).isEqualTo(Browser.DOMAIN);
            assertThat(e.getRequestContext().getStage()).as(name).isEqualTo("$default");
        }
    }
}
