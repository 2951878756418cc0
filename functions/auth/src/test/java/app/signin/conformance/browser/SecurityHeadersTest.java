package app.signin.conformance.browser;

import static app.signin.testing.SiteUnderTest.SESSION_COOKIE;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.config.Config;
import app.signin.crypto.CookieCodec;
import app.signin.crypto.Keyring;
import app.signin.crypto.RandomTokens;
import app.signin.testing.Browser;
import app.signin.testing.ProviderSignIn;
import app.signin.testing.SiteUnderTest;
import app.signin.testing.TestDynamoDb;

/**
 * Every response of every handler - pages, redirects, refusals, 503s - carries {@code Cache-Control:
 * no-store} (they all depend on the session or carry a code, state or cookie), {@code Referrer-Policy:
 * no-referrer} (the callback URL holds the code), a CSP with {@code frame-ancestors 'none'} and
 * {@code nosniff}; HSTS on https and not on {@code http://localhost}.
 */
class SecurityHeadersTest {

    @Test
    void everyResponseOnHttps_carriesTheSecurityHeaders_andHsts() {
        try (SiteUnderTest site = SiteUnderTest.builder().inMemory().start()) {
            Map<String, APIGatewayV2HTTPResponse> responses = everyKindOfResponse(site);
            responses.forEach((what, r) -> {
                assertSecurityHeaders(what, r);
                assertThat(r.getHeaders().get("strict-transport-security")).as(what)
                        .startsWith("max-age=31536000").contains("includeSubDomains");
            });
            assertThat(responses.get("callback 303").getHeaders()).containsEntry("referrer-policy", "no-referrer");
            assertThat(responses.get("callback 400").getHeaders()).containsEntry("referrer-policy", "no-referrer");
        }
    }

    @Test
    void onHttpLocalhost_thereIsNoHsts_andNoHostPrefix() {
        try (SiteUnderTest site = SiteUnderTest.builder().inMemory().env(Map.of(Config.PUBLIC_BASE_URL, "http://localhost:3000")).start()) {
            Browser browser = site.browser();
            APIGatewayV2HTTPResponse login = SiteUnderTest.startLogin(browser, "");
            APIGatewayV2HTTPResponse done = browser.get(site.authorize(login, "local", ProviderSignIn.user("local", "lo@example.com")));
            for (APIGatewayV2HTTPResponse r : List.of(login, done, browser.get("/"))) {
                assertSecurityHeaders("http", r);
                assertThat(r.getHeaders()).doesNotContainKey("strict-transport-security");
            }
            assertThat(done.getHeaders().get("location")).isEqualTo("http://localhost:3000/");
            assertThat(done.getCookies()).anyMatch(c -> c.startsWith("session=v1"));
        }
    }

    @Test
    void theStoreUnavailablePage_carriesTheSecurityHeaders() {
        URI closedPort = URI.create("http://127.0.0.1:" + TestDynamoDb.freePort());
        try (SiteUnderTest offline = SiteUnderTest.builder().dynamoDb(closedPort).env(Config.SESSION_TABLE, "sessions").start()) {
            String signed = new CookieCodec(new Keyring(List.of(SiteUnderTest.SESSION_SECRET)))
                    .sign(SESSION_COOKIE, new RandomTokens(new java.security.SecureRandom()).next());
            Browser browser = offline.browser();
            browser.cookies().put(SESSION_COOKIE, signed);
            APIGatewayV2HTTPResponse r = browser.get("/");
            assertThat(r.getStatusCode()).isEqualTo(503);
            assertSecurityHeaders("503", r);
            assertThat(r.getHeaders()).containsKey("strict-transport-security");
        }
    }

    /** One of each: every handler, success and refusal. */
    private static Map<String, APIGatewayV2HTTPResponse> everyKindOfResponse(SiteUnderTest site) {
        Map<String, APIGatewayV2HTTPResponse> all = new LinkedHashMap<>();
        Browser browser = site.browser();
        all.put("index signed out", browser.get("/"));
        APIGatewayV2HTTPResponse login = SiteUnderTest.startLogin(browser, "?return_to=%2Fx");
        all.put("login 302", login);
        String callback = site.authorize(login, "h", ProviderSignIn.user("h", "hal@example.com"));
        all.put("callback 303", browser.get(callback));
        all.put("callback 400", browser.get(callback));
        APIGatewayV2HTTPResponse signedIn = browser.get("/");
        assertThat(signedIn.getBody()).contains("hal@example.com");
        all.put("index signed in", signedIn);
        all.put("logout GET", browser.get("/logout"));
        all.put("logout 403", browser.send("POST", "/logout", Map.of("content-type", "application/x-www-form-urlencoded",
                "origin", "https://evil.example"), "csrf=x"));
        all.put("logout 303", browser.post("/logout", Map.of("csrf", CrossSiteLogoutTest.csrf(signedIn.getBody()))));
        all.put("login 400", browser.get("/login?return_to=a&return_to=b"));
        return all;
    }

    static void assertSecurityHeaders(String what, APIGatewayV2HTTPResponse r) {
        Map<String, String> h = r.getHeaders();
        assertThat(h).as(what).containsEntry("cache-control", "no-store")
                .containsEntry("x-content-type-options", "nosniff")
                .containsEntry("referrer-policy", "no-referrer");
        assertThat(h.get("content-security-policy")).as(what).contains("frame-ancestors 'none'")
                .contains("object-src 'none'").contains("base-uri 'none'").contains("default-src 'none'")
                .doesNotContain("script-src");
        // The service's own pages allow their one stylesheet by hash, never 'unsafe-inline'; redirects and
        // JSON allow no style at all.
        if (String.valueOf(h.get("content-type")).startsWith("text/html")) {
            assertThat(h.get("content-security-policy")).as(what).containsPattern("style-src 'sha256-[A-Za-z0-9+/]{43}='")
                    .doesNotContain("unsafe-inline");
        } else {
            assertThat(h.get("content-security-policy")).as(what).doesNotContain("style-src");
        }
        if (r.getCookies() != null) {
            assertThat(r.getCookies()).as(what).allSatisfy(c -> {
                assertThat(c).contains("HttpOnly").contains("Secure").contains("SameSite=Lax").contains("Path=/");
                assertThat(c.split(";")[0].length()).isLessThan(4096);
            });
        }
    }
}
