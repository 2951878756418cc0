package app.signin.google;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.signin.config.Config;
import app.signin.testing.Browser;
import app.signin.testing.SiteUnderTest;

/**
 * The authorization request with {@code GOOGLE_SCOPES} and {@code GOOGLE_OFFLINE_ACCESS}: the extra scopes
 * after the base ones, {@code access_type=offline}, and {@code prompt=consent} only while the browser's
 * session has no refresh token - Google sends one only on consent, and a user who gave it is not asked again.
 */
class OfflineAccessLoginTest {
    static final String CALENDAR = "https://www.googleapis.com/auth/calendar.readonly";

    SiteUnderTest site;

    @BeforeEach
    void start() {
        site = SiteUnderTest.builder().inMemory().env(Map.of(Config.GOOGLE_SCOPES,
                CALENDAR + ",https://www.googleapis.com/auth/drive.file", Config.GOOGLE_OFFLINE_ACCESS, "true")).start();
    }

    @AfterEach
    void stop() {
        site.close();
    }

    @Test
    void withoutASession_theLoginAsksForTheExtraScopes_offlineAccess_andConsent() {
        Map<String, String> q = authorizationRequest(site.browser());

        assertThat(q).containsEntry("scope", "openid email profile " + CALENDAR
                + " https://www.googleapis.com/auth/drive.file")
                .containsEntry("access_type", "offline")
                .containsEntry("prompt", "consent");
    }

    @Test
    void withASessionHoldingARefreshToken_theLoginAsksForOfflineAccess_withoutConsent() {
        Browser browser = site.browser();
        assertThat(site.login(browser, "user-1", "alice@example.com").getStatusCode()).isEqualTo(303);

        Map<String, String> q = authorizationRequest(browser);

        assertThat(q).containsEntry("access_type", "offline").doesNotContainKey("prompt");
    }

    @Test
    void afterTheSessionEnded_orWithACookieThatDoesNotVerify_consentIsAskedAgain() {
        Browser browser = site.browser();
        site.login(browser, "user-1", "alice@example.com");
        String cookie = browser.cookies().get(SiteUnderTest.SESSION_COOKIE);

        browser.cookies().put(SiteUnderTest.SESSION_COOKIE, cookie.substring(0, cookie.length() - 1)
                + (cookie.endsWith("A") ? "B" : "A"));
        assertThat(authorizationRequest(browser)).containsEntry("prompt", "consent");

        browser.cookies().put(SiteUnderTest.SESSION_COOKIE, cookie);
        site.clock().advance(java.time.Duration.ofDays(8)); // past the session's absolute lifetime
        assertThat(authorizationRequest(browser)).containsEntry("prompt", "consent");
    }

    private static Map<String, String> authorizationRequest(Browser browser) {
        String location = SiteUnderTest.startLogin(browser, "").getHeaders().get("location");
        Map<String, String> q = new java.util.HashMap<>();
        for (String pair : java.net.URI.create(location).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            q.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        return q;
    }
}
