package app.signin.conformance.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.nimbusds.jose.util.JSONObjectUtils;

import app.signin.config.Config;
import app.signin.crypto.CookieCodec;
import app.signin.crypto.Keyring;
import app.signin.handler.HelloHandler;
import app.signin.handler.Wiring;
import app.signin.testing.ApiGateway;
import app.signin.testing.Browser;
import app.signin.testing.SiteExtension;
import app.signin.testing.SiteUnderTest;

/**
 * {@code COOKIE_DOMAIN}: the session cookie is set for the sibling sites' domain ({@code Domain=}, the
 * {@code __Secure-} prefix, since {@code __Host-} forbids a Domain), every path reads it under that name,
 * the login-binding cookies stay {@code __Host-} and host-only, and logging out on the sign-in site clears
 * the shared cookie under the same Domain and ends the session for every site that reads it.
 */
class SharedCookieDomainTest {
    static final String SITE = "https://auth.example.com";
    static final String SHARED = "__Secure-session";

    @RegisterExtension
    final SiteExtension site = SiteUnderTest.builder().inMemory()
            .env(Config.PUBLIC_BASE_URL, SITE)
            .env(Config.COOKIE_DOMAIN, "example.com")
            .env(Config.ALLOWED_RETURN_ORIGINS, "https://app.example.com")
            .extension();

    Browser browser;
    /** A sibling site's own API, protected by this stack's authorizer (what examples/ deploys). */
    ApiGateway siblingApi;

    @BeforeEach
    void browserAndSiblingApi() {
        browser = site.browser();
        siblingApi = new ApiGateway(Wiring.authorizer(site.app()), new HelloHandler());
    }

    @Test
    void signIn_setsTheSessionCookieForTheDomain_withTheSecurePrefix_andKeepsTheBindingCookieHostOnly() {
        APIGatewayV2HTTPResponse login = SiteUnderTest.startLogin(browser, "");
        assertThat(login.getCookies()).singleElement().satisfies(binding -> assertThat(binding)
                .startsWith("__Host-login-").doesNotContainIgnoringCase("domain="));

        APIGatewayV2HTTPResponse callback = browser.get(site.get().authorize(login, "sso-user",
                app.signin.testing.ProviderSignIn.user("sso-user", "sso@example.com")));

        assertThat(callback.getStatusCode()).isEqualTo(303);
        assertThat(callback.getCookies()).filteredOn(c -> c.startsWith(SHARED + "=")).singleElement()
                .satisfies(c -> assertThat(c).endsWith("; Domain=example.com")
                        .contains("; Path=/; HttpOnly; Secure; SameSite=Lax"));
        assertThat(callback.getCookies()).noneMatch(c -> c.startsWith("__Host-session"));
        assertThat(browser.cookies()).containsKey(SHARED).doesNotContainKey("__Host-session");
    }

    @Test
    void theSharedCookie_isReadByThePages_andBySiblingSitesBehindTheAuthorizer() {
        site.get().login(browser, "sso-user", "sso@example.com");

        assertThat(browser.get("/").getBody()).contains("sso@example.com");
        assertThat(siblingCall(browser.cookieList()).getStatusCode()).isEqualTo(200);
    }

    /** GoogleAccessTokens finds the session under the shared cookie's name, as every other path does. */
    @Test
    void theGoogleApiRoute_findsTheSessionUnderTheSharedCookiesName() {
        site.get().login(browser, "sso-user", "sso@example.com");

        APIGatewayV2HTTPResponse r = browser.get("/api/google/userinfo");

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        assertThat(r.getBody()).contains("\"sub\":\"sso-user\"");
    }

    @Test
    void aHostOnlySessionCookie_signedForALiveSession_isNotReadInCookieDomainMode() {
        // GIVEN a live session, and a cookie naming it under the host-only name, signed correctly for that name
        // (what a browser would still hold from before COOKIE_DOMAIN was switched on)
        site.get().login(browser, "sso-user", "sso@example.com");
        String raw = site.get().app().sessions().idFromCookie(SHARED, List.of(browser.cookies().get(SHARED)))
                .orElseThrow().raw();
        CookieCodec codec = new CookieCodec(new Keyring(site.get().app().config().sessionSecrets()));
        String hostOnly = codec.sign("__Host-session", raw);
        assertThat(codec.verify("__Host-session", hostOnly)).as("a good cookie under that name").contains(raw);

        // WHEN it is all a request carries
        Browser other = site.browser();
        other.cookies().put("__Host-session", hostOnly);

        // THEN in domain mode only the shared name is read: neither the authorizer nor the pages accept it
        assertThat(siblingCall(List.of("__Host-session=" + hostOnly)).getStatusCode()).isEqualTo(403);
        assertThat(other.get("/").getBody()).doesNotContain("sso@example.com");
    }

    @Test
    void afterSwitchingCookieDomainOn_aLeftoverHostOnlySessionCookie_isCleared_asItWasSet() {
        // GIVEN a browser still holding the host-only session cookie from before COOKIE_DOMAIN
        site.get().login(browser, "sso-user", "sso@example.com");
        browser.cookies().put("__Host-session", "v1.left.over.from-the-host-only-setting");

        // WHEN it asks for any page
        APIGatewayV2HTTPResponse index = browser.get("/");

        // THEN the old cookie is dropped (host-only, as set), and the shared session is untouched
        assertThat(index.getBody()).contains("sso@example.com");
        assertThat(index.getCookies()).singleElement().satisfies(c -> assertThat(c).startsWith("__Host-session=;")
                .contains("Max-Age=0").doesNotContainIgnoringCase("domain="));
    }

    @Test
    void afterSwitchingCookieDomainOff_aLeftoverSharedSessionCookie_isClearedForTheDomainsItMayHaveBeenSetFor() {
        // GIVEN the same site deployed without COOKIE_DOMAIN, and a browser still holding the shared cookie
        try (SiteUnderTest hostOnly = SiteUnderTest.builder().inMemory().env(Config.PUBLIC_BASE_URL, SITE).start()) {
            Browser b = hostOnly.browser();
            b.cookies().put(SHARED, "v1.left.over.from-the-shared-setting");

            // WHEN it asks for any page
            APIGatewayV2HTTPResponse index = b.get("/");

            // THEN it is cleared under every Domain that contained this host (example.com was the setting)
            assertThat(index.getCookies()).filteredOn(c -> c.startsWith(SHARED + "=;"))
                    .allSatisfy(c -> assertThat(c).contains("Max-Age=0"))
                    .extracting(c -> c.substring(c.indexOf("; Domain=") + 2))
                    .containsExactlyInAnyOrder("Domain=auth.example.com", "Domain=example.com");
        }
    }

    @Test
    void logout_clearsTheSharedCookieUnderItsDomain_andEndsTheSessionForEverySite() {
        site.get().login(browser, "sso-user", "sso@example.com");
        List<String> cookiesBefore = browser.cookieList();
        String csrf = CrossSiteLogoutTest.csrf(browser.get("/").getBody());

        APIGatewayV2HTTPResponse logout = browser.send("POST", "/logout", Map.of(
                "content-type", "application/x-www-form-urlencoded", "origin", SITE, "sec-fetch-site", "same-origin"),
                "csrf=" + csrf);

        assertThat(logout.getStatusCode()).isEqualTo(303);
        assertThat(logout.getCookies()).singleElement().satisfies(c -> assertThat(c).startsWith(SHARED + "=;")
                .contains("Max-Age=0").endsWith("; Domain=example.com"));
        // A sibling site that still holds a copy of the cookie is signed out too: the session is gone.
        assertThat(siblingCall(cookiesBefore).getStatusCode()).isEqualTo(403);
    }

    @Test
    void endingThisBrowsersOwnSession_fromTheSessionsList_clearsTheSharedCookieUnderItsDomain() throws Exception {
        site.get().login(browser, "sso-user", "sso@example.com");
        List<String> cookiesBefore = browser.cookieList();
        String page = browser.get("/sessions").getBody();
        // The only session listed is this browser's own: its handle is the one End would end.
        List<Object> listed = JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(browser.get("/api/sessions").getBody()),
                "sessions");
        String own = (String) ((Map<?, ?>) listed.getFirst()).get("id");

        APIGatewayV2HTTPResponse end = browser.send("POST", "/sessions/end", Map.of(
                "content-type", "application/x-www-form-urlencoded", "origin", SITE, "sec-fetch-site", "same-origin"),
                "csrf=" + CrossSiteLogoutTest.csrf(page) + "&session=" + own);

        assertThat(end.getStatusCode()).isEqualTo(303);
        assertThat(end.getCookies()).singleElement().satisfies(c -> assertThat(c).startsWith(SHARED + "=;")
                .contains("Max-Age=0").endsWith("; Domain=example.com"));
        assertThat(siblingCall(cookiesBefore).getStatusCode()).isEqualTo(403);
    }

    @Test
    void aDeadSharedCookie_isClearedUnderItsDomain() {
        site.get().login(browser, "sso-user", "sso@example.com");
        site.get().clock().advance(java.time.Duration.ofDays(8));

        APIGatewayV2HTTPResponse index = browser.get("/");

        assertThat(index.getCookies()).singleElement().satisfies(c -> assertThat(c).startsWith(SHARED + "=;")
                .endsWith("; Domain=example.com"));
    }

    private APIGatewayV2HTTPResponse siblingCall(List<String> cookies) {
        return siblingApi.handleRequest(Browser.event("GET", "/api/hello", Map.of(), null, cookies), null);
    }
}
