package app.signin.conformance.session;

import static app.signin.testing.SiteUnderTest.SESSION_COOKIE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.config.Config;
import app.signin.testing.Browser;
import app.signin.testing.SiteUnderTest;

/**
 * {@code ALLOWED_DOMAINS} admits by the verified ID token's {@code hd} claim (never a request parameter) and
 * {@code ALLOWED_EMAILS} by exact address; everyone else gets a clear 403 page and no session. Addresses
 * with several {@code @}, quoted local parts or look-alike characters never match an allow-list entry.
 */
class AccessPolicyTest {
    static SiteUnderTest domains;
    static SiteUnderTest emails;

    @BeforeAll
    static void sites() {
        domains = SiteUnderTest.builder().inMemory().env(Map.of(Config.ALLOWED_DOMAINS, "example.com")).start();
        emails = SiteUnderTest.builder().inMemory().env(Map.of(Config.ALLOWED_EMAILS, "alice@example.com, bob@example.org")).start();
    }

    @AfterAll
    static void stop() {
        domains.close();
        emails.close();
    }

    @Test
    void workspaceUser_ofAnAllowedDomain_isAdmitted() {
        assertAdmitted(domains, claims("ann@example.com", "example.com"));
        assertAdmitted(domains, claims("Ann.B@Example.COM", "EXAMPLE.com")); // domains are case-insensitive
    }

    @Test
    void domainAccess_needsTheHdClaim_andAnAddressInThatDomain() {
        assertDenied(domains, claims("carl@example.com", null));            // consumer account, no hd
        assertDenied(domains, claims("carl@gmail.com", "example.com"));     // hd alone is not enough
        assertDenied(domains, claims("carl@evil.example", "evil.example"));
        assertDenied(domains, claims("carl@sub.example.com", "sub.example.com"));
        assertDenied(domains, claims("carl@example.com.evil.example", "example.com.evil.example"));
        assertDenied(domains, claims("carl@example.com@evil.example", "example.com"));
    }

    @Test
    void hdAsARequestParameter_admitsNobody() {
        Browser browser = domains.browser();
        APIGatewayV2HTTPResponse login = SiteUnderTest.startLogin(browser, "?hd=example.com");
        String callback = domains.authorize(login, "dan", claims("dan@example.com", null));
        APIGatewayV2HTTPResponse r = browser.get(callback + "&hd=example.com");
        assertDeniedPage(r, browser);
    }

    @Test
    void listedAddress_isAdmitted() {
        assertAdmitted(emails, claims("alice@example.com", null));
        assertAdmitted(emails, claims("BOB@example.org", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "mallory@example.com",
            "alice+x@example.com",
            "alice@example.com@evil.example",
            "alice@evil.example@example.com",
            "\"alice@example.com\"@evil.example",
            "\"alice\"@example.com",
            "\u0430lice@example.com",           // Cyrillic a
            "alice@ex\u0430mple.com",           // Cyrillic a in the domain
            "\uff41lice@example.com",           // full-width a
            "alice@xn--exmple-cua.com",         // punycode look-alike of a non-ASCII domain
            "alice@example.com.",
            " alice@example.com",
            "alice@example.com\n",
            "alice@example.com\u200b",
            "alice%40example.com",
            "alice@example.com, mallory@example.com"})
    void anyOtherAddress_isDenied(String email) {
        assertDenied(emails, claims(email, null));
    }

    @Test
    void bothListsSet_eitherAdmits() {
        try (SiteUnderTest both = SiteUnderTest.builder().inMemory().env(Map.of(Config.ALLOWED_DOMAINS,
                "example.com", Config.ALLOWED_EMAILS, "guest@partner.example")).start()) {
            assertAdmitted(both, claims("staff@example.com", "example.com"));
            assertAdmitted(both, claims("guest@partner.example", null));
            assertDenied(both, claims("other@partner.example", null));
        }
    }

    @Test
    void aDeniedLogin_leavesTheBrowsersExistingSessionAlone() {
        Browser browser = emails.browser();
        emails.login(browser, "", "alice", claims("alice@example.com", null));
        APIGatewayV2HTTPResponse r = emails.login(browser, "", "mallory", claims("mallory@example.com", null));
        assertThat(r.getStatusCode()).isEqualTo(403);
        assertThat(browser.get("/").getBody()).contains("alice@example.com");
    }

    private static void assertAdmitted(SiteUnderTest site, Map<String, Object> claims) {
        Browser browser = site.browser();
        APIGatewayV2HTTPResponse r = site.login(browser, "", "sub-" + claims.get("email").hashCode(), claims);
        assertThat(r.getStatusCode()).as("%s", claims).isEqualTo(303);
        assertThat(browser.get("/").getBody()).contains("Signed in as");
    }

    private static void assertDenied(SiteUnderTest site, Map<String, Object> claims) {
        Browser browser = site.browser();
        site.recording().reset();
        APIGatewayV2HTTPResponse r = site.login(browser, "", "sub-" + claims.get("email").hashCode(), claims);
        assertDeniedPage(r, browser);
        assertThat(site.recording().calls("putSession")).as("sessions stored for %s", claims).isZero();
    }

    private static void assertDeniedPage(APIGatewayV2HTTPResponse r, Browser browser) {
        assertThat(r.getStatusCode()).isEqualTo(403);
        assertThat(r.getBody()).contains("Access denied").contains("access_denied").contains("request id");
        assertThat(r.getCookies()).noneMatch(c -> c.startsWith(SESSION_COOKIE + "=v1"));
        assertThat(browser.cookies()).doesNotContainKey(SESSION_COOKIE);
        assertThat(browser.get("/").getBody()).contains("Sign in with Google");
    }

    /** A verified Google identity with this address and, when given, this Workspace domain. */
    static Map<String, Object> claims(String email, String hd) {
        Map<String, Object> claims = new HashMap<>(Map.of("email", email, "email_verified", true, "name", "Someone"));
        if (hd != null) {
            claims.put("hd", hd);
        }
        return claims;
    }

}
