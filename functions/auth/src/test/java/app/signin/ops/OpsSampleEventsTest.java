package app.signin.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.text.ParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.nimbusds.jose.util.JSONObjectUtils;

import app.signin.handler.HelloHandler;
import app.signin.handler.MeHandler;
import app.signin.handler.Wiring;
import app.signin.json.JsonReader;
import app.signin.protect.Authorizer;
import app.signin.testing.Browser;
import app.signin.testing.SiteExtension;
import app.signin.testing.SiteUnderTest;

/**
 * The sample events for the authorizer and the API functions ({@code sam local invoke AuthorizerFunction -e
 * events/authorizer.json}, ...): their shape as the Lambda Java runtime's own deserializer reads them, and
 * the answers of each function driven as Lambda drives it - bytes in, bytes out, through its stream entry.
 */
@SuppressWarnings("unchecked")
class OpsSampleEventsTest {
    @RegisterExtension
    final SiteExtension site = SiteUnderTest.builder().extension();


    /** The shipped event file, optionally changed (a member replaced at the top level). */
    static byte[] eventFile(String name, Map<String, Object> changes) throws IOException, ParseException {
        if (changes.isEmpty()) {
            return Files.readAllBytes(SiteUnderTest.EVENTS.resolve(name)); // byte for byte what sam local invoke -e sends
        }
        Map<String, Object> event = JSONObjectUtils.parse(Files.readString(SiteUnderTest.EVENTS.resolve(name)));
        event.putAll(changes);
        return JSONObjectUtils.toJSONString(event).getBytes(StandardCharsets.UTF_8);
    }

    /** What Lambda's runtime does with a stream handler: the event's bytes in, the answer's bytes out. */
    static Map<String, Object> invoke(RequestStreamHandler handler, byte[] event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        return (Map<String, Object>) JsonReader.parse(out.toByteArray());
    }

    static APIGatewayV2CustomAuthorizerEvent authorizerEvent() {
        return EventLoader.loadAPIGatewayV2CustomAuthorizerEvent(SiteUnderTest.EVENTS.resolve("authorizer.json").toString());
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
    void authorizerEvent_withACookieSignedByAnotherKey_isDenied() throws Exception {
        Map<String, Object> r = invoke(Wiring.authorizer(site.app()), eventFile("authorizer.json", Map.of()));

        assertThat(r).isEqualTo(Map.of("isAuthorized", false, "context", Map.of()));
    }

    @Test
    void authorizerEvent_onTheApiMeRoute_isLetThroughAsNotSignedIn() throws Exception {
        byte[] e = eventFile("authorizer.json", Map.of("routeKey", "GET /api/me"));

        Map<String, Object> r = invoke(Wiring.authorizer(site.app()), e);

        assertThat(r).containsEntry("isAuthorized", true)
                .containsEntry("context", Map.of("authenticated", false, "reason", "not_authenticated"));
    }

    /**
     * The authorizer is exported for other stacks' APIs (examples/protected-api), which choose their own route
     * keys: only this stack's HttpApi, marked by its stage variable, gets the self-answering pass.
     */
    @Test
    void authorizerEvent_onARouteNamedGetApiMe_ofAnotherStacksApi_isDenied() throws Exception {
        Map<String, Object> withoutMark = new HashMap<>();
        withoutMark.put("routeKey", "GET /api/me");
        withoutMark.put("stageVariables", null);
        Map<String, Object> otherMark = Map.of("routeKey", "GET /api/me",
                "stageVariables", Map.of(Authorizer.OWN_API_STAGE_VARIABLE, "off"));

        for (Map<String, Object> changes : List.of(withoutMark, otherMark)) {
            Map<String, Object> r = invoke(Wiring.authorizer(site.app()), eventFile("authorizer.json", changes));

            assertThat(r).as("changes %s", changes).isEqualTo(Map.of("isAuthorized", false, "context", Map.of()));
        }
    }

    @Test
    void authorizerEvent_withALiveSessionCookie_isAllowed_withTheUserInTheContext() throws Exception {
        Browser browser = site.browser();
        APIGatewayV2HTTPResponse login = browser.get("/login");
        site.provider().nextUser("110169484474386276334", "alice@example.com");
        URI back = site.provider().authorize(login.getHeaders().get("location"));
        browser.get(back.getRawPath() + "?" + back.getRawQuery());
        byte[] e = eventFile("authorizer.json", Map.of("cookies", browser.cookieList()));

        Map<String, Object> r = invoke(Wiring.authorizer(site.app()), e);

        assertThat(r).containsEntry("isAuthorized", true).containsEntry("context", Map.of("authenticated", true,
                "sub", "110169484474386276334", "email", "alice@example.com", "name", "Test 110169484474386276334",
                "via", "session"));
    }

    @Test
    void meEvent_throughTheStreamEntry_answersTheUserTheAuthorizerHandedOver() throws Exception {
        Map<String, Object> r = invoke(new MeHandler(), eventFile("me.json", Map.of()));

        assertThat(r).containsEntry("statusCode", 200L).containsEntry("isBase64Encoded", false).containsEntry("body",
                "{\"authenticated\":true,\"sub\":\"110169484474386276334\",\"email\":\"alice@example.com\","
                        + "\"name\":\"Alice Example\",\"via\":\"session\"}");
        assertThat((Map<String, Object>) r.get("headers")).containsEntry("content-type", "application/json")
                .containsKey("strict-transport-security");
    }

    @Test
    void meEvent_withoutTheAuthorizersContext_throughTheStreamEntry_is401Json() throws Exception {
        Map<String, Object> me = JSONObjectUtils.parse(Files.readString(SiteUnderTest.EVENTS.resolve("me.json")));
        ((Map<String, Object>) me.get("requestContext")).remove("authorizer");

        Map<String, Object> r = invoke(new MeHandler(), JSONObjectUtils.toJSONString(me).getBytes(StandardCharsets.UTF_8));

        assertThat(r).containsEntry("statusCode", 401L);
        assertThat((String) r.get("body")).startsWith("{\"error\":\"not_authenticated\",")
                .contains("\"requestId\":\"Rk3NdGIpjoEEJ8A=\"");
    }

    @Test
    void helloEvent_throughTheStreamEntry_greetsTheUserTheAuthorizerHandedOver() throws Exception {
        byte[] e = eventFile("me.json", Map.of("routeKey", "GET /api/hello", "rawPath", "/api/hello"));

        Map<String, Object> r = invoke(new HelloHandler(), e);

        assertThat(r).containsEntry("statusCode", 200L).containsEntry("body", "{\"message\":\"Hello, Alice Example!\"}");
    }

    @Test
    void googleUserinfoEvent_withTheSamplesCookie_throughTheStreamEntry_is401Json() throws Exception {
        // The sample's cookie is signed with a key this app does not hold: not signed in, no provider call.
        Map<String, Object> r = invoke(Wiring.googleUserinfo(site.app()), eventFile("google-userinfo.json", Map.of()));

        assertThat(r).containsEntry("statusCode", 401L);
        assertThat((String) r.get("body")).startsWith("{\"error\":\"not_authenticated\",")
                .contains("\"requestId\":\"Rk3NdGIpjoEEJ9B=\"");
    }

    @Test
    void googleUserinfoEvent_withALiveSessionCookie_throughTheStreamEntry_answersTheUsersClaims() throws Exception {
        Browser browser = site.browser();
        APIGatewayV2HTTPResponse login = browser.get("/login");
        site.provider().nextUser("110169484474386276334", "alice@example.com");
        URI back = site.provider().authorize(login.getHeaders().get("location"));
        browser.get(back.getRawPath() + "?" + back.getRawQuery());

        Map<String, Object> r = invoke(Wiring.googleUserinfo(site.app()),
                eventFile("google-userinfo.json", Map.of("cookies", browser.cookieList())));

        assertThat(r).containsEntry("statusCode", 200L);
        assertThat((String) r.get("body")).contains("\"sub\":\"110169484474386276334\"")
                .contains("\"email\":\"alice@example.com\"");
    }

    @Test
    void healthEvent_throughTheStreamEntry_isOk() throws Exception {
        Map<String, Object> r = invoke(Wiring.health(site.app()), eventFile("health.json", Map.of()));

        assertThat(r).containsEntry("statusCode", 200L).containsEntry("body", "{\"status\":\"ok\"}");
    }

    @Test
    void meEvent_answersTheUserTheAuthorizerHandedOver() {
        APIGatewayV2HTTPEvent e = EventLoader.loadApiGatewayHttpEvent(SiteUnderTest.EVENTS.resolve("me.json").toString());

        APIGatewayV2HTTPResponse r = new MeHandler().handleRequest(e, null);

        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(r.getBody()).isEqualTo(
                "{\"authenticated\":true,\"sub\":\"110169484474386276334\",\"email\":\"alice@example.com\","
                        + "\"name\":\"Alice Example\",\"via\":\"session\"}");
        assertThat(r.getHeaders()).containsKey("strict-transport-security");
    }

    @Test
    void healthEvent_isOk() {
        APIGatewayV2HTTPEvent e = EventLoader.loadApiGatewayHttpEvent(SiteUnderTest.EVENTS.resolve("health.json").toString());

        APIGatewayV2HTTPResponse r = Wiring.health(site.app()).handleRequest(e, null);

        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(r.getBody()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void newSampleEvents_areHttpApiPayload2Events_likeTheOthers() {
        for (String name : List.of("me.json", "health.json")) {
            APIGatewayV2HTTPEvent e = EventLoader.loadApiGatewayHttpEvent(SiteUnderTest.EVENTS.resolve(name).toString());
            assertThat(e.getVersion()).as(name).isEqualTo("2.0");
            assertThat(e.getRequestContext().getDomainName()).as(name).isEqualTo(Browser.DOMAIN);
            assertThat(e.getRequestContext().getStage()).as(name).isEqualTo("$default");
        }
    }
}
