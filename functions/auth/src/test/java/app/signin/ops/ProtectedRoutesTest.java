package app.signin.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.App;
import app.signin.config.Config;
import app.signin.handler.HelloHandler;
import app.signin.handler.MeHandler;
import app.signin.handler.Wiring;
import app.signin.testing.ApiGateway;
import app.signin.testing.Browser;
import app.signin.testing.MutableClock;
import app.signin.testing.SiteExtension;
import app.signin.testing.SiteUnderTest;
import app.signin.testing.TestDynamoDb;
import app.signin.testing.TestProvider;

/**
 * The session protecting other routes: the authorizer in front of {@code /api/me} and the example
 * {@code /api/hello}, driven the way API Gateway drives them ({@link ApiGateway}), after real logins
 * against moto's DynamoDB and an OpenID Connect provider on loopback.
 */
class ProtectedRoutesTest {
    static final String SESSION_COOKIE = "__Host-session";

    /** DynamoDB as deployed, on a hand-moved clock. */
    @RegisterExtension
    final SiteExtension site = SiteUnderTest.builder().dynamoDbStore().extension();

    TestProvider provider;
    MutableClock clock;
    App app;
    ApiGateway me;
    ApiGateway hello;

    @BeforeEach
    void start() {
        provider = site.provider();
        clock = site.get().clock();
        app = site.app();
        me = new ApiGateway(Wiring.authorizer(app), new MeHandler());
        hello = new ApiGateway(Wiring.authorizer(app), new HelloHandler());
    }

    /** Every route of the site, with the two protected ones counting what API Gateway calls. */
    Browser browser() {
        Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> routes =
                new HashMap<>(SiteUnderTest.routes(app));
        routes.put("/api/me", me);
        routes.put("/api/hello", hello);
        return new Browser(routes);
    }

    void login(Browser browser, String sub, String email) {
        APIGatewayV2HTTPResponse start = browser.get("/login");
        provider.nextUser(sub, email);
        URI back = provider.authorize(start.getHeaders().get("location"));
        assertThat(browser.get(back.getRawPath() + "?" + back.getRawQuery()).getStatusCode()).isEqualTo(303);
    }

    @Test
    void apiMe_afterLogin_returnsTheUserAsJson() {
        Browser browser = browser();
        login(browser, "user-1", "alice@example.com");

        APIGatewayV2HTTPResponse r = browser.get("/api/me");

        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(r.getHeaders()).containsEntry("content-type", "application/json")
                .containsEntry("cache-control", "no-store");
        assertThat(r.getBody()).isEqualTo("{\"authenticated\":true,\"sub\":\"user-1\",\"email\":\"alice@example.com\","
                + "\"name\":\"Test user-1\",\"via\":\"session\"}");
    }

    @Test
    void apiMe_withoutAnyCredential_is401Json_fromTheFunction_naming_the_bearer_scheme() {
        // The authorizer's identity source is the route key alone, so a request without any cookie reaches
        // it (a bearer-only client must); /api/me then answers for itself, as for a dead session.
        APIGatewayV2HTTPResponse r = browser().get("/api/me");

        assertThat(r.getStatusCode()).isEqualTo(401);
        assertThat(r.getBody()).startsWith("{\"error\":\"not_authenticated\",");
        assertThat(r.getHeaders()).containsEntry("www-authenticate", "Bearer");
        assertThat(me.authorizerCalls).hasValue(1);
    }

    @Test
    void exampleRoute_withoutAnyCredential_isDeniedByApiGateway_withoutAStoreCall() {
        APIGatewayV2HTTPResponse r = browser().get("/api/hello");

        assertThat(r.getStatusCode()).isEqualTo(403);
        assertThat(r.getBody()).isEqualTo("{\"message\":\"Forbidden\"}");
        assertThat(hello.functionCalls).hasValue(0);
    }

    @Test
    void apiMe_withATamperedCookie_is401Json_fromTheFunction_neverARedirect() {
        Browser browser = browser();
        login(browser, "user-2", "bob@example.com");
        String good = browser.cookies().get(SESSION_COOKIE);
        browser.cookies().put(SESSION_COOKIE, good.substring(0, good.length() - 2) + "xx");

        APIGatewayV2HTTPResponse r = browser.get("/api/me");

        assertThat(r.getStatusCode()).isEqualTo(401);
        assertThat(r.getHeaders()).containsEntry("content-type", "application/json").doesNotContainKey("location");
        assertThat(r.getBody()).startsWith("{\"error\":\"not_authenticated\",").contains("\"requestId\":")
                .doesNotContain("bob@example.com").doesNotContain("<");
        assertThat(me.functionCalls).hasValue(1);
    }

    @Test
    void apiMe_afterLogout_is401_onTheVeryNextRequest_evenWithACopyOfTheCookie() {
        Browser browser = browser();
        login(browser, "user-3", "carol@example.com");
        String copied = browser.cookies().get(SESSION_COOKIE);
        assertThat(browser.get("/api/me").getStatusCode()).isEqualTo(200);

        String csrf = csrf(browser.get("/").getBody());
        assertThat(browser.post("/logout", Map.of("csrf", csrf)).getStatusCode()).isEqualTo(303);
        browser.cookies().put(SESSION_COOKIE, copied);

        APIGatewayV2HTTPResponse r = browser.get("/api/me");
        assertThat(r.getStatusCode()).isEqualTo(401);
        assertThat(r.getBody()).contains("not_authenticated");
        assertThat(browser.get("/api/hello").getStatusCode()).isEqualTo(403);
    }

    @Test
    void exampleRoute_withoutSession_isDeniedByApiGateway_andTheFunctionIsNeverCalled() {
        Browser browser = browser();
        browser.cookies().put("unrelated", "1"); // some cookie, so the authorizer is asked

        APIGatewayV2HTTPResponse r = browser.get("/api/hello");

        assertThat(r.getStatusCode()).isEqualTo(403);
        assertThat(r.getBody()).isEqualTo("{\"message\":\"Forbidden\"}");
        assertThat(hello.authorizerCalls).hasValue(1);
        assertThat(hello.functionCalls).hasValue(0);
    }

    @Test
    void exampleRoute_afterLogin_greetsTheUserNamedByTheAuthorizer() {
        Browser browser = browser();
        login(browser, "user-4", "dave@example.com");

        APIGatewayV2HTTPResponse r = browser.get("/api/hello");

        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(r.getBody()).isEqualTo("{\"message\":\"Hello, Test user-4!\"}");
    }

    @Test
    void apiOnlyUser_staysSignedInPastTheIdleTimeout_becauseTheAuthorizerRefreshesTheSession() {
        Browser browser = browser();
        login(browser, "user-5", "erin@example.com");

        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofHours(8)); // each step inside the 12 h idle timeout, 24 h in total
            assertThat(browser.get("/api/me").getStatusCode()).as("after %d h", 8 * (i + 1)).isEqualTo(200);
        }
        clock.advance(Duration.ofHours(13)); // idle for longer than the timeout
        assertThat(browser.get("/api/me").getStatusCode()).isEqualTo(401);
    }

    @Test
    void storeNotAnswering_deniesProtectedRoutes_andApiMeSays503WithRetryAfter() {
        App down = site.get().rebuilt(Map.of(Config.DYNAMODB_ENDPOINT, "http://127.0.0.1:" + TestDynamoDb.freePort()));
        Browser browser = new Browser(Map.of(
                "/api/me", new ApiGateway(Wiring.authorizer(down), new MeHandler()),
                "/api/hello", new ApiGateway(Wiring.authorizer(down), new HelloHandler())));
        browser.cookies().put(SESSION_COOKIE, aValidSessionCookie());

        APIGatewayV2HTTPResponse meResponse = browser.get("/api/me");
        assertThat(meResponse.getStatusCode()).isEqualTo(503);
        assertThat(meResponse.getHeaders()).containsEntry("retry-after", "5");
        assertThat(meResponse.getBody()).contains("\"error\":\"store_unavailable\"").doesNotContain("127.0.0.1");
        assertThat(browser.get("/api/hello").getStatusCode()).isEqualTo(403);
    }

    @Test
    void narrowingTheAllowList_endsAnExistingSession_onItsNextRequest_onThePageAndBehindTheAuthorizer() {
        // GIVEN alice and bob signed in while the allow-list named them both
        App before = site.get().redeployed(Map.of(Config.ALLOWED_EMAILS, "alice@example.com, bob@example.com"));
        Browser alice = browser(before);
        login(alice, "user-7", "alice@example.com");
        Browser bob = browser(before);
        login(bob, "user-8", "bob@example.com");
        assertThat(alice.get("/api/me").getStatusCode()).isEqualTo(200);

        // WHEN the site runs with an allow-list that no longer names alice, over the same table
        App after = site.get().redeployed(Map.of(Config.ALLOWED_EMAILS, "bob@example.com"));
        Browser aliceAfter = browser(after);
        aliceAfter.cookies().putAll(alice.cookies());
        Browser bobAfter = browser(after);
        bobAfter.cookies().putAll(bob.cookies());

        // THEN her very next request is signed out - the page, the API and the example route alike - while
        // bob, still on the list, stays signed in
        APIGatewayV2HTTPResponse page = aliceAfter.get("/");
        assertThat(page.getBody()).contains("Sign in with Google").doesNotContain("alice@example.com");
        aliceAfter.cookies().putAll(alice.cookies()); // the page cleared the dead cookie; replay it anyway
        assertThat(aliceAfter.get("/api/me").getStatusCode()).isEqualTo(401);
        assertThat(aliceAfter.get("/api/hello").getStatusCode()).isEqualTo(403);
        assertThat(bobAfter.get("/").getBody()).contains("bob@example.com");
        assertThat(bobAfter.get("/api/me").getStatusCode()).isEqualTo(200);
    }

    /** A browser for the page routes and the two protected routes, all over {@code graph}. */
    private Browser browser(App graph) {
        return site.get().browser(graph);
    }

    /** A cookie whose MAC verifies, so that the authorizer must ask the store. */
    private String aValidSessionCookie() {
        Browser browser = browser();
        login(browser, "user-6", "frank@example.com");
        return browser.cookies().get(SESSION_COOKIE);
    }

    static String csrf(String html) {
        var m = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
