package app.signin.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.App;
import app.signin.testing.Browser;
import app.signin.testing.Handlers;
import app.signin.testing.SiteUnderTest;
import app.signin.testing.TestDynamoDb;
import app.signin.testing.TestProvider;

/**
 * Round trips per request, counted on the wire: every DynamoDB call passes through a {@link CountingProxy}
 * in front of the test DynamoDB API (so SDK retries would count too), and the provider's own request log
 * says what reached it. Each handler must make the fewest calls its job allows - a cold start pays for
 * every one of them, and so does every warm request.
 */
class RoundTripTest {
    static final String SESSION_COOKIE = "__Host-session";
    static TestDynamoDb dynamo = TestDynamoDb.shared();

    SiteUnderTest site;
    TestProvider provider;
    CountingProxy store;
    App app;

    @BeforeEach
    void peers() throws Exception {
        store = new CountingProxy(dynamo.endpoint());
        site = SiteUnderTest.builder().dynamoDb(store.endpoint()).start();
        provider = site.provider();
        app = site.app();
    }

    @AfterEach
    void stop() {
        store.close();
        site.close();
    }

    @Test
    void login_writesOnce_andDoesNotCallTheProvider_onceDiscoveryIsWarm() {
        Browser browser = browser();
        browser.get("/login"); // the container's first request fetches discovery
        assertThat(providerCalls()).isEqualTo(Map.of("/.well-known/openid-configuration", 1));
        store.take();

        APIGatewayV2HTTPResponse login = browser.get("/login");

        assertThat(login.getStatusCode()).isEqualTo(302);
        assertThat(store.take()).isEqualTo(Map.of("PutItem", 1));
        assertThat(providerCalls()).isEmpty();
    }

    @Test
    void callback_exchangesTheCodeOnce_fetchesNoKeysWhileCached_andDeletesThenPutsOnce() {
        Browser browser = browser();
        APIGatewayV2HTTPResponse first = login(browser, "user-1", "alice@example.com");
        assertThat(first.getStatusCode()).isEqualTo(303);
        // The Query is the per-user limit: the user's sessions, read from the user index after the put.
        assertThat(store.take()).as("first callback, no earlier session")
                .isEqualTo(Map.of("DeleteItem", 1, "PutItem", 1, "Query", 1));
        assertThat(providerCalls()).as("first callback of the container also fetches the keys")
                .isEqualTo(Map.of("/token", 1, "/jwks", 1));

        Browser other = browser();
        APIGatewayV2HTTPResponse second = login(other, "user-2", "bob@example.com");

        assertThat(second.getStatusCode()).isEqualTo(303);
        assertThat(store.take()).as("pending login taken, session put, the user's sessions counted")
                .isEqualTo(Map.of("DeleteItem", 1, "PutItem", 1, "Query", 1));
        assertThat(providerCalls()).as("one token request; keys and discovery still cached")
                .isEqualTo(Map.of("/token", 1));
    }

    @Test
    void callback_withAnOldSessionCookie_deletesThatSessionToo_andNothingMore() {
        Browser browser = browser();
        login(browser, "user-3", "carol@example.com");
        assertThat(browser.cookies()).containsKey(SESSION_COOKIE);
        store.take();
        providerCalls();

        APIGatewayV2HTTPResponse again = login(browser, "user-3", "carol@example.com");

        assertThat(again.getStatusCode()).isEqualTo(303);
        assertThat(store.take()).isEqualTo(Map.of("DeleteItem", 2, "PutItem", 1, "Query", 1));
        assertThat(providerCalls()).isEqualTo(Map.of("/token", 1));
    }

    @Test
    void index_readsOnce_withAValidCookie_andNeverWithoutOrWithABadOne() {
        Browser browser = browser();
        login(browser, "user-4", "dave@example.com");
        store.take();
        providerCalls();

        assertThat(browser.get("/").getBody()).contains("dave@example.com");
        assertThat(store.take()).isEqualTo(Map.of("GetItem", 1));

        String good = browser.cookies().get(SESSION_COOKIE);
        browser.cookies().put(SESSION_COOKIE, good.substring(0, good.length() - 2) + "xx");
        assertThat(browser.get("/").getBody()).contains("Sign in with Google");
        assertThat(store.take()).as("badly signed cookie").isEmpty();

        browser.cookies().clear();
        assertThat(browser.get("/").getBody()).contains("Sign in with Google");
        assertThat(store.take()).as("no cookie").isEmpty();
        assertThat(providerCalls()).isEmpty();
    }

    @Test
    void logout_deletesOnce_andRevokesTheTokenOnce() {
        Browser browser = browser();
        login(browser, "user-5", "erin@example.com");
        String csrf = csrf(browser.get("/").getBody());
        store.take();
        providerCalls();

        APIGatewayV2HTTPResponse logout = browser.post("/logout", Map.of("csrf", csrf));

        assertThat(logout.getStatusCode()).isEqualTo(303);
        assertThat(store.take()).isEqualTo(Map.of("DeleteItem", 1));
        assertThat(providerCalls()).as("revocation, best effort").isEqualTo(Map.of("/revoke", 1));
    }

    @Test
    void googleUserinfo_withAFreshToken_readsOnce_andCallsOnlyUserinfo() {
        Browser browser = browser();
        login(browser, "user-6", "frank@example.com");
        store.take();
        providerCalls();

        assertThat(browser.get("/api/google/userinfo").getStatusCode()).isEqualTo(200);

        assertThat(store.take()).isEqualTo(Map.of("GetItem", 1));
        assertThat(providerCalls()).isEqualTo(Map.of("/userinfo", 1));
    }

    @Test
    void googleUserinfo_withAnExpiredToken_readsOnce_refreshesOnce_andWritesOnce() {
        Browser browser = browser();
        APIGatewayV2HTTPResponse login = browser.get("/login");
        // Tokens that expire within AccessTokens.EXPIRY_SKEW: due for a refresh at once, on every call.
        provider.server().enqueueCallback(new no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback(
                TestProvider.ISSUER_ID, "user-7", "JWT", java.util.List.of(TestProvider.CLIENT_ID),
                Map.of("email", "grace@example.com", "email_verified", true), 30));
        URI back = provider.authorize(login.getHeaders().get("location"));
        assertThat(browser.get(back.getRawPath() + "?" + back.getRawQuery()).getStatusCode()).isEqualTo(303);
        store.take();
        providerCalls();

        assertThat(browser.get("/api/google/userinfo").getStatusCode()).isEqualTo(200);

        assertThat(store.take()).as("session read, refreshed tokens written back")
                .isEqualTo(Map.of("GetItem", 1, "UpdateItem", 1));
        assertThat(providerCalls()).as("discovery is warm from the login").isEqualTo(Map.of("/token", 1, "/userinfo", 1));
    }

    @Test
    void sessionsPage_andApi_readTheSessionOnce_andQueryTheUserIndexOnce_andReadNoOtherItem() {
        Browser laptop = browser();
        login(laptop, "user-6", "fay@example.com");
        Browser phone = browser();
        login(phone, "user-6", "fay@example.com");
        store.take();
        providerCalls();

        assertThat(phone.get("/sessions").getBody()).contains("Your sessions");
        assertThat(store.take()).as("GET /sessions").isEqualTo(Map.of("GetItem", 1, "Query", 1));
        assertThat(phone.get("/api/sessions").getStatusCode()).isEqualTo(200);
        assertThat(store.take()).as("GET /api/sessions").isEqualTo(Map.of("GetItem", 1, "Query", 1));
        phone.cookies().clear();
        assertThat(phone.get("/sessions").getStatusCode()).isEqualTo(303);
        assertThat(store.take()).as("signed out").isEmpty();
        assertThat(providerCalls()).isEmpty();
    }

    @Test
    void endSession_readsOnce_queriesOnce_deletesOnce_andCallsNoProviderForAnotherSession() {
        Browser laptop = browser();
        login(laptop, "user-7", "gus@example.com");
        Browser phone = browser();
        login(phone, "user-7", "gus@example.com");
        String page = laptop.get("/sessions").getBody();
        Matcher handle = Pattern.compile("name=\"session\" value=\"([^\"]+)\"").matcher(page);
        assertThat(handle.find()).isTrue();
        store.take();
        providerCalls();

        APIGatewayV2HTTPResponse end = laptop.post("/sessions/end", Map.of("csrf", csrf(page), "session", handle.group(1)));

        assertThat(end.getStatusCode()).isEqualTo(303);
        assertThat(store.take()).isEqualTo(Map.of("GetItem", 1, "Query", 1, "DeleteItem", 1));
        assertThat(providerCalls()).as("another session's token cannot be opened").isEmpty();
    }

    @Test
    void logoutEverywhere_readsOnce_queriesTwice_deletesEachSession_andRevokesOnce() {
        Browser laptop = browser();
        login(laptop, "user-8", "hal@example.com");
        login(browser(), "user-8", "hal@example.com");
        login(browser(), "user-8", "hal@example.com");
        String csrf = csrf(laptop.get("/").getBody());
        store.take();
        providerCalls();

        APIGatewayV2HTTPResponse logout = laptop.post("/logout", Map.of("csrf", csrf, "everywhere", "true"));

        assertThat(logout.getStatusCode()).isEqualTo(303);
        // Two Queries: the index is eventually consistent, so after the deletes it is asked once more for a
        // session it did not list yet (UserSessions.sweep); moto is consistent, and the second finds nothing.
        assertThat(store.take()).isEqualTo(Map.of("GetItem", 1, "Query", 2, "DeleteItem", 3));
        assertThat(providerCalls()).isEqualTo(Map.of("/revoke", 1));
    }

    Browser browser() {
        return new Browser(Handlers.routes(app));
    }

    /** Login, the provider's sign-in, and the callback; the provider's log is drained before the callback. */
    APIGatewayV2HTTPResponse login(Browser browser, String sub, String email) {
        APIGatewayV2HTTPResponse login = browser.get("/login");
        provider.nextUser(sub, email);
        URI back = provider.authorize(login.getHeaders().get("location"));
        store.take();
        providerCalls();
        return browser.get(back.getRawPath() + "?" + back.getRawQuery());
    }

    /**
     * What reached the provider since its log was last drained, per path below the issuer (for example
     * {@code /token}); drains the log.
     */
    Map<String, Integer> providerCalls() {
        Map<String, Integer> calls = new java.util.TreeMap<>();
        String base = provider.issuer().getPath();
        for (int i = 0; i < 1_000; i++) { // bounded: a test makes a handful of calls
            okhttp3.mockwebserver.RecordedRequest r;
            try {
                r = provider.server().takeRequest(50, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                break; // mock-oauth2-server throws when its log is empty
            }
            if (r == null) {
                break;
            }
            String path = r.getPath() == null ? "?" : r.getPath().split("\\?")[0];
            calls.merge(path.startsWith(base) ? path.substring(base.length()) : path, 1, Integer::sum);
        }
        return calls;
    }

    static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("page has a CSRF field").isTrue();
        return m.group(1);
    }
}
