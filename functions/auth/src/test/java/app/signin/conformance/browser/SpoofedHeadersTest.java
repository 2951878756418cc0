package app.signin.conformance.browser;

import static app.signin.testing.SiteUnderTest.ORIGIN;
import static app.signin.testing.SiteUnderTest.SESSION_COOKIE;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.config.Config;
import app.signin.testing.Browser;
import app.signin.testing.ProviderSignIn;
import app.signin.testing.SiteUnderTest;

/**
 * {@code Host}, {@code X-Forwarded-Host}, {@code X-Forwarded-Proto}, {@code Forwarded} and friends are
 * whatever the client says. None may change the {@code redirect_uri} sent to the provider, any
 * {@code Location}, the cookie prefix or HSTS: the origin comes from {@code PUBLIC_BASE_URL} or API
 * Gateway's {@code requestContext.domainName} only (the oauth2-proxy {@code X-Forwarded-Host} class of bug).
 */
class SpoofedHeadersTest {
    static final String EVIL = "evil.example";
    static final Map<String, String> SPOOFED = Map.of(
            "host", EVIL,
            "x-forwarded-host", EVIL,
            "x-forwarded-proto", "http",
            "x-forwarded-port", "8080",
            "x-forwarded-server", EVIL,
            "x-original-host", EVIL,
            "x-host", EVIL,
            "forwarded", "for=203.0.113.9;host=" + EVIL + ";proto=http");

    static SiteUnderTest site;

    @BeforeAll
    static void site() {
        site = SiteUnderTest.builder().inMemory().start();
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    @Test
    void login_sendsTheRegisteredRedirectUri_andAHostPrefixedBindingCookie() {
        APIGatewayV2HTTPResponse login = spoofed(site.browser(), "/login?return_to=%2Fhome");
        assertThat(login.getStatusCode()).isEqualTo(302);
        String location = login.getHeaders().get("location");
        assertThat(URI.create(location).getAuthority()).isEqualTo(site.provider().issuer().getAuthority());
        assertThat(redirectUri(location)).isEqualTo(ORIGIN + "/callback");
        assertThat(location).doesNotContain(EVIL);
        assertThat(login.getCookies()).singleElement().asString().startsWith("__Host-login-").contains("Secure");
        assertThat(login.getHeaders()).containsKey("strict-transport-security");
    }

    @Test
    void callback_redirectsToOurOrigin_withTheHostPrefixedSessionCookie() {
        Browser browser = site.browser();
        APIGatewayV2HTTPResponse login = spoofed(browser, "/login?return_to=%2Fhome");
        String callback = site.authorize(login, "spoofer", ProviderSignIn.user("spoofer", "sam@example.com"));
        APIGatewayV2HTTPResponse done = spoofed(browser, callback);
        assertThat(done.getStatusCode()).isEqualTo(303);
        assertThat(done.getHeaders().get("location")).isEqualTo(ORIGIN + "/home");
        assertThat(done.getCookies()).anyMatch(c -> c.startsWith(SESSION_COOKIE + "=v1") && c.contains("Secure"));
        assertThat(done.getHeaders()).containsKey("strict-transport-security");
    }

    @Test
    void logout_redirectsToOurOrigin_andJudgesOriginAgainstOurOriginNotTheHostHeader() {
        Browser browser = site.browser();
        site.login(browser, "leaver", "lou@example.com");
        String csrf = CrossSiteLogoutTest.csrf(browser.get("/").getBody());

        Map<String, String> evilOrigin = new HashMap<>(SPOOFED);
        evilOrigin.putAll(Map.of("origin", "https://" + EVIL, "content-type", "application/x-www-form-urlencoded"));
        assertThat(browser.send("POST", "/logout", evilOrigin, "csrf=" + csrf).getStatusCode())
                .as("Origin matches the spoofed Host, not the site").isEqualTo(403);

        Map<String, String> ourOrigin = new HashMap<>(SPOOFED);
        ourOrigin.putAll(Map.of("origin", ORIGIN, "content-type", "application/x-www-form-urlencoded"));
        APIGatewayV2HTTPResponse out = browser.send("POST", "/logout", ourOrigin, "csrf=" + csrf);
        assertThat(out.getStatusCode()).isEqualTo(303);
        assertThat(out.getHeaders().get("location")).isEqualTo(ORIGIN + "/?signed_out=1");
    }

    @Test
    void configuredPublicBaseUrl_winsOverEveryHeader_andOverTheGatewayDomain() {
        try (SiteUnderTest custom = SiteUnderTest.builder().inMemory().env(Map.of(Config.PUBLIC_BASE_URL, "https://auth.example.com")).start()) {
            Browser browser = custom.browser();
            APIGatewayV2HTTPResponse login = spoofed(browser, "/login");
            assertThat(redirectUri(login.getHeaders().get("location"))).isEqualTo("https://auth.example.com/callback");
            String callback = custom.authorize(login, "cu", ProviderSignIn.user("cu", "cu@example.com"));
            assertThat(spoofed(browser, callback).getHeaders().get("location")).isEqualTo("https://auth.example.com/");
        }
    }

    private static APIGatewayV2HTTPResponse spoofed(Browser browser, String pathAndQuery) {
        return browser.send("GET", pathAndQuery, SPOOFED, null);
    }

    static String redirectUri(String authorizationUrl) {
        String query = URI.create(authorizationUrl).getRawQuery();
        for (String pair : query.split("&")) {
            if (pair.startsWith("redirect_uri=")) {
                return URLDecoder.decode(pair.substring("redirect_uri=".length()), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no redirect_uri in " + authorizationUrl);
    }
}
