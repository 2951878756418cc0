package app.signin.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.config.Config;
import app.signin.testing.Browser;
import app.signin.testing.MutableClock;
import app.signin.testing.SiteExtension;
import app.signin.testing.SiteUnderTest;
import app.signin.testing.TestDynamoDb;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The whole flow through the four handlers - login, provider, callback, index, logout, index - against a
 * real DynamoDB API and a real OpenID Connect provider on loopback.
 */
class SignInFlowTest {
    static final String SESSION_COOKIE = "__Host-session";

    /** A provider and a table per test: the provider's queue of next users cannot leak between tests. */
    @RegisterExtension
    final SiteExtension site = SiteUnderTest.builder().extension();

    Browser browser() {
        return site.browser();
    }

    /** Runs a login to the provider and back; returns the callback's response. */
    APIGatewayV2HTTPResponse login(Browser browser, String query, String sub, String email) {
        return login(site.get(), browser, query, sub, email);
    }

    static APIGatewayV2HTTPResponse login(SiteUnderTest on, Browser browser, String query, String sub, String email) {
        APIGatewayV2HTTPResponse login = browser.get("/login" + query);
        assertThat(login.getStatusCode()).isEqualTo(302);
        on.provider().nextUser(sub, email);
        URI back = on.provider().authorize(login.getHeaders().get("location"));
        return browser.get(back.getRawPath() + "?" + back.getRawQuery());
    }

    @Test
    void fullRoundTrip_loginShowsUser_logoutEndsSession_oldCookieIsDead() {
        Browser browser = browser();
        assertThat(browser.get("/").getBody()).contains("Sign in with Google").doesNotContain("Signed in as");

        APIGatewayV2HTTPResponse callback = login(browser, "?return_to=%2Fdashboard%3Ftab%3D1", "user-1", "alice@example.com");
        assertThat(callback.getStatusCode()).isEqualTo(303);
        assertThat(callback.getHeaders().get("location")).isEqualTo("https://" + Browser.DOMAIN + "/dashboard?tab=1");
        assertThat(browser.cookies()).containsKey(SESSION_COOKIE);
        assertThat(browser.cookies().keySet()).noneMatch(n -> n.startsWith("__Host-login-"));
        String oldCookie = browser.cookies().get(SESSION_COOKIE);

        APIGatewayV2HTTPResponse index = browser.get("/");
        assertThat(index.getBody()).contains("Signed in as <span id=\"email\">alice@example.com</span>")
                .contains("Test user-1").contains("Sign out");
        assertThat(browser.get("/").getBody()).contains("alice@example.com"); // reload: still signed in

        APIGatewayV2HTTPResponse logout = browser.post("/logout", Map.of("csrf", csrf(index.getBody())));
        assertThat(logout.getStatusCode()).isEqualTo(303);
        assertThat(logout.getHeaders().get("location")).isEqualTo("https://" + Browser.DOMAIN + "/?signed_out=1");
        assertThat(browser.cookies()).doesNotContainKey(SESSION_COOKIE);
        assertThat(browser.get("/").getBody()).contains("Sign in with Google");

        browser.cookies().put(SESSION_COOKIE, oldCookie);
        assertThat(browser.get("/").getBody()).contains("Sign in with Google").doesNotContain("alice@example.com");
        assertThat(sessionItems()).isEmpty();
    }

    @Test
    void callback_withReplayedState_isRejectedBeforeTokenExchange() {
        Browser browser = browser();
        APIGatewayV2HTTPResponse start = browser.get("/login");
        Map<String, String> bindingCookies = Map.copyOf(browser.cookies());
        site.provider().nextUser("user-2", "bob@example.com");
        URI back = site.provider().authorize(start.getHeaders().get("location"));
        site.provider().countRequests("/token");
        assertThat(browser.get(back.getRawPath() + "?" + back.getRawQuery()).getStatusCode()).isEqualTo(303);
        assertThat(site.provider().countRequests("/token")).isEqualTo(1);

        browser.cookies().putAll(bindingCookies); // the attacker replays cookie and URL alike
        browser.cookies().remove(SESSION_COOKIE); // ...but has not the session (a signed-in browser is sent home)
        APIGatewayV2HTTPResponse replay = browser.get(back.getRawPath() + "?" + back.getRawQuery());
        assertThat(replay.getStatusCode()).isEqualTo(400);
        assertThat(replay.getBody()).contains("state_unknown");
        assertThat(site.provider().countRequests("/token")).isZero();
        assertThat(sessionItems()).hasSize(1);
    }

    @Test
    void callback_withWrongState_isRejected_andNoSessionIsCreated() {
        Browser browser = browser();
        browser.get("/login");
        APIGatewayV2HTTPResponse r = browser.get("/callback?code=abc&state=" + "A".repeat(43));
        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(r.getBody()).contains("state_mismatch");
        assertThat(browser.get("/callback?code=abc&state=short").getStatusCode()).isEqualTo(400);
        assertThat(browser.get("/callback?code=abc").getBody()).contains("state_missing");
        assertThat(sessionItems()).isEmpty();
    }

    @Test
    void callback_withStateFromAnotherBrowser_isRejected_andTheRealBrowserStillSucceeds() {
        Browser victim = browser();
        Browser attacker = browser();
        APIGatewayV2HTTPResponse start = attacker.get("/login");
        site.provider().nextUser("attacker", "mallory@example.com");
        URI back = site.provider().authorize(start.getHeaders().get("location"));
        String callback = back.getRawPath() + "?" + back.getRawQuery();

        APIGatewayV2HTTPResponse forced = victim.get(callback);
        assertThat(forced.getStatusCode()).isEqualTo(400);
        assertThat(forced.getBody()).contains("state_mismatch");
        assertThat(victim.cookies()).doesNotContainKey(SESSION_COOKIE);
        assertThat(attacker.get(callback).getStatusCode()).isEqualTo(303);
    }

    @Test
    void tamperedSessionCookie_isNotASession() {
        Browser browser = browser();
        login(browser, "", "user-3", "carol@example.com");
        String good = browser.cookies().get(SESSION_COOKIE);
        char last = good.charAt(good.length() - 1);
        browser.cookies().put(SESSION_COOKIE, good.substring(0, good.length() - 1) + (last == 'A' ? 'B' : 'A'));
        APIGatewayV2HTTPResponse index = browser.get("/");
        assertThat(index.getBody()).contains("Sign in with Google").doesNotContain("carol@example.com");
        assertThat(index.getCookies()).anyMatch(c -> c.startsWith(SESSION_COOKIE + "=;") && c.contains("Max-Age=0"));
    }

    @Test
    void expiredSession_stillPresentInTheTable_isNotASession() {
        try (SiteUnderTest clocked = SiteUnderTest.builder().dynamoDbStore().start()) {
            MutableClock clock = clocked.clock();
            Browser browser = clocked.browser();
            login(clocked, browser, "", "user-4", "dave@example.com");
            assertThat(browser.get("/").getBody()).contains("dave@example.com");

            clock.advance(Duration.ofHours(13)); // past the 12 h idle timeout; DynamoDB TTL has not run
            assertThat(items(clocked, "s#")).hasSize(1);
            assertThat(browser.get("/").getBody()).contains("Sign in with Google").doesNotContain("dave@example.com");
        }
    }

    @Test
    void twoTabsStartingALoginAtOnce_bothSucceed() {
        Browser browser = browser();
        APIGatewayV2HTTPResponse tab1 = browser.get("/login?return_to=%2Fone");
        APIGatewayV2HTTPResponse tab2 = browser.get("/login?return_to=%2Ftwo");
        site.provider().nextUser("user-5", "erin@example.com");
        URI back2 = site.provider().authorize(tab2.getHeaders().get("location"));
        site.provider().nextUser("user-5", "erin@example.com");
        URI back1 = site.provider().authorize(tab1.getHeaders().get("location"));

        APIGatewayV2HTTPResponse done2 = browser.get(back2.getRawPath() + "?" + back2.getRawQuery());
        APIGatewayV2HTTPResponse done1 = browser.get(back1.getRawPath() + "?" + back1.getRawQuery());
        assertThat(done2.getStatusCode()).isEqualTo(303);
        assertThat(done2.getHeaders().get("location")).endsWith("/two");
        assertThat(done1.getStatusCode()).isEqualTo(303);
        assertThat(done1.getHeaders().get("location")).endsWith("/one");
        assertThat(browser.get("/").getBody()).contains("erin@example.com");
        // The second completed login replaced the first session rather than leaving it behind.
        assertThat(sessionItems()).hasSize(1);
    }

    @Test
    void providerError_isShownEscaped_andBurnsTheState() {
        Browser browser = browser();
        APIGatewayV2HTTPResponse start = browser.get("/login");
        String state = param(start.getHeaders().get("location"), "state");
        APIGatewayV2HTTPResponse r = browser.get("/callback?error=%3Cscript%3Ealert(1)%3C%2Fscript%3E&state=" + state);
        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(r.getBody()).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>");
        assertThat(loginItems()).isEmpty();
    }

    @Test
    void newLogin_replacesTheBrowsersPreviousSession() {
        Browser browser = browser();
        login(browser, "", "user-6", "frank@example.com");
        String first = browser.cookies().get(SESSION_COOKIE);
        login(browser, "", "user-7", "grace@example.com");
        assertThat(browser.cookies().get(SESSION_COOKIE)).isNotEqualTo(first);
        assertThat(sessionItems()).hasSize(1);
        assertThat(browser.get("/").getBody()).contains("grace@example.com");
    }

    @Test
    void storedSession_holdsNoUsableCookieOrPlainToken() {
        Browser browser = browser();
        login(browser, "", "user-8", "heidi@example.com");
        String cookie = browser.cookies().get(SESSION_COOKIE);
        String rawId = cookie.split("\\.")[2];
        List<Map<String, AttributeValue>> items = sessionItems();
        assertThat(items).hasSize(1);
        Map<String, AttributeValue> item = items.getFirst();
        assertThat(item.get("pk").s()).startsWith("s#").doesNotContain(rawId);
        assertThat(item.toString()).doesNotContain(rawId);
        assertThat(item.get("tokens").b().asByteArray()).isNotEmpty();
        assertThat(item.get("sub").s()).isEqualTo("user-8");
        long ttl = Long.parseLong(item.get("expiresAt").n());
        assertThat(ttl).isBetween(Instant.now().getEpochSecond(), Instant.now().plus(Duration.ofDays(8)).getEpochSecond());
    }

    @Test
    void crossSiteLogout_isRefused_andTheSessionSurvives() {
        Browser browser = browser();
        login(browser, "", "user-9", "ivan@example.com");
        String csrf = csrf(browser.get("/").getBody());
        APIGatewayV2HTTPResponse r = browser.send("POST", "/logout", Map.of("content-type",
                "application/x-www-form-urlencoded", "origin", "https://evil.example", "sec-fetch-site", "cross-site"),
                "csrf=" + csrf);
        assertThat(r.getStatusCode()).isEqualTo(403);
        APIGatewayV2HTTPResponse noToken = browser.send("POST", "/logout",
                Map.of("content-type", "application/x-www-form-urlencoded"), "");
        assertThat(noToken.getStatusCode()).isEqualTo(403);
        assertThat(browser.get("/").getBody()).contains("ivan@example.com");

        APIGatewayV2HTTPResponse confirm = browser.get("/logout");
        assertThat(confirm.getStatusCode()).isEqualTo(200);
        assertThat(confirm.getBody()).contains("Sign out");
        assertThat(browser.get("/").getBody()).contains("ivan@example.com");
    }

    static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("page has a CSRF field").isTrue();
        return m.group(1);
    }

    static String param(String url, String name) {
        Matcher m = Pattern.compile("[?&]" + name + "=([^&]+)").matcher(url);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    List<Map<String, AttributeValue>> sessionItems() {
        return items(site.get(), "s#");
    }

    List<Map<String, AttributeValue>> loginItems() {
        return items(site.get(), "l#");
    }

    private static List<Map<String, AttributeValue>> items(SiteUnderTest on, String prefix) {
        try (DynamoDbClient client = TestDynamoDb.shared().client()) {
            return client.scan(b -> b.tableName(on.env().get(Config.SESSION_TABLE)).consistentRead(true)).items()
                    .stream().filter(i -> i.get("pk").s().startsWith(prefix)).toList();
        }
    }
}
