package app.signin.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.testing.Browser;
import app.signin.testing.SiteExtension;
import app.signin.testing.SiteUnderTest;

/**
 * Every page carries {@code Referrer-Policy: no-referrer}, so a browser submitting the site's own Sign out
 * form sends {@code Origin: null} (Fetch serialises the origin per the referrer policy), together with
 * {@code Sec-Fetch-Site: same-origin}. That logout must work; found by the end-to-end browser test.
 */
class LogoutFromTheSitesOwnFormTest {
    @RegisterExtension
    final SiteExtension site = SiteUnderTest.builder().extension();
    Browser browser;

    @BeforeEach
    void signIn() {
        browser = site.browser();
        APIGatewayV2HTTPResponse login = browser.get("/login");
        site.provider().nextUser("user-null-origin", "nora@example.com");
        URI back = site.provider().authorize(login.getHeaders().get("location"));
        assertThat(browser.get(back.getRawPath() + "?" + back.getRawQuery()).getStatusCode()).isEqualTo(303);
    }

    @Test
    void logout_withNullOriginFromASameOriginForm_endsTheSession() {
        String csrf = SignInFlowTest.csrf(browser.get("/").getBody());

        APIGatewayV2HTTPResponse logout = browser.send("POST", "/logout", Map.of(
                "content-type", "application/x-www-form-urlencoded", "origin", "null", "sec-fetch-site", "same-origin"),
                "csrf=" + csrf);

        assertThat(logout.getStatusCode()).isEqualTo(303);
        assertThat(browser.get("/").getBody()).contains("Sign in with Google").doesNotContain("nora@example.com");
    }

    @Test
    void logout_withNullOrigin_isStillRefusedCrossSite_orWithoutTheCsrfToken() {
        String csrf = SignInFlowTest.csrf(browser.get("/").getBody());

        APIGatewayV2HTTPResponse crossSite = browser.send("POST", "/logout", Map.of(
                "content-type", "application/x-www-form-urlencoded", "origin", "null", "sec-fetch-site", "cross-site"),
                "csrf=" + csrf);
        APIGatewayV2HTTPResponse noToken = browser.send("POST", "/logout", Map.of(
                "content-type", "application/x-www-form-urlencoded", "origin", "null"), "");

        assertThat(crossSite.getStatusCode()).isEqualTo(403);
        assertThat(noToken.getStatusCode()).isEqualTo(403);
        assertThat(browser.get("/").getBody()).contains("nora@example.com");
    }
}
