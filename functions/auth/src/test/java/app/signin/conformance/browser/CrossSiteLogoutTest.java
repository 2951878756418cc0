package app.signin.conformance.browser;

import static app.signin.testing.SiteUnderTest.ORIGIN;
import static app.signin.testing.SiteUnderTest.SESSION_COOKIE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.testing.Browser;
import app.signin.testing.RecordingSessionStore;
import app.signin.testing.SiteUnderTest;

/**
 * Logout CSRF: a malicious site can make the victim's browser send {@code POST /logout} (a form) or
 * {@code GET /logout} (a link, an image). Neither may end the session: the POST needs a same-origin request
 * ({@code Origin}, {@code Sec-Fetch-Site}) carrying this session's CSRF token; a GET never ends anything.
 */
class CrossSiteLogoutTest {
    static final String FORM = "application/x-www-form-urlencoded";

    static SiteUnderTest site;
    RecordingSessionStore store;
    Browser victim;
    String csrf;

    @BeforeAll
    static void site() {
        site = SiteUnderTest.builder().inMemory().start();
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    @BeforeEach
    void victimSignedIn() {
        store = site.recording();
        victim = site.browser();
        site.login(victim, "victim", "vic@example.com");
        csrf = csrf(victim.get("/").getBody());
        store.reset();
    }

    @AfterEach
    void victimIsStillSignedIn_andTheStoreWasNeverAskedToDelete() {
        assertThat(store.calls("deleteSession")).isZero();
        assertThat(victim.get("/").getBody()).contains("vic@example.com");
    }

    @Test
    void postFromAnotherOrigin_isRefused_evenWithTheRightToken() {
        for (String origin : List.of("https://evil.example", "http://" + SiteUnderTest.ORIGIN.substring(8),
                ORIGIN + ".evil.example", ORIGIN + ":8443")) {
            assertRefused(post(Map.of("origin", origin), "csrf=" + csrf));
        }
    }

    @Test
    void postWithOriginNull_isJudgedBySecFetchSiteAndTheToken() {
        // Our own pages send Referrer-Policy: no-referrer, so our own form posts arrive with "Origin: null";
        // so do a sandboxed frame's on another site. "null" names nobody: the other two checks decide.
        assertRefused(post(Map.of("origin", "null", "sec-fetch-site", "cross-site"), "csrf=" + csrf));
        assertRefused(post(Map.of("origin", "null", "sec-fetch-site", "same-origin"), "csrf=wrong"));
        assertRefused(post(Map.of("origin", "null"), ""));
    }

    @Test
    void postMarkedCrossSiteOrSameSite_isRefused_evenWithTheRightToken() {
        assertRefused(post(Map.of("sec-fetch-site", "cross-site"), "csrf=" + csrf));
        assertRefused(post(Map.of("sec-fetch-site", "same-site"), "csrf=" + csrf)); // a sibling subdomain
        assertRefused(post(Map.of("sec-fetch-site", "cross-site", "origin", ORIGIN), "csrf=" + csrf));
    }

    @Test
    void postWithoutAValidToken_isRefused_evenFromOurOrigin() {
        Map<String, String> sameOrigin = Map.of("origin", ORIGIN, "sec-fetch-site", "same-origin");
        assertRefused(post(sameOrigin, ""));
        assertRefused(post(sameOrigin, "csrf="));
        assertRefused(post(sameOrigin, "csrf=" + csrf.substring(1)));
        assertRefused(post(sameOrigin, "csrf=" + csrf + "&csrf=" + csrf));
        assertRefused(victim.send("POST", "/logout?csrf=" + csrf, sameOrigin, ""));
        assertRefused(victim.send("POST", "/logout", Map.of("origin", ORIGIN, "content-type", "text/plain"), "csrf=" + csrf));
    }

    @Test
    void postWithTheTokenOfAnotherSession_isRefused() {
        Browser attacker = site.browser();
        site.login(attacker, "attacker", "mal@example.com");
        String attackersToken = csrf(attacker.get("/").getBody());
        store.reset();
        assertRefused(post(Map.of("origin", ORIGIN, "sec-fetch-site", "same-origin"), "csrf=" + attackersToken));
    }

    @Test
    void getLogout_neverEndsTheSession_evenWithTheToken() {
        for (String query : List.of("", "?csrf=" + csrf)) {
            APIGatewayV2HTTPResponse r = victim.send("GET", "/logout" + query,
                    Map.of("sec-fetch-site", "cross-site", "referer", "https://evil.example/"), null);
            assertThat(r.getStatusCode()).isEqualTo(200);
            assertThat(r.getBody()).contains("Sign out").contains("method=\"post\"");
            assertThat(r.getCookies()).isNull();
        }
    }

    @Test
    void theGenuineSignOutButton_stillWorks() {
        APIGatewayV2HTTPResponse r = victim.post("/logout", Map.of("csrf", csrf));
        assertThat(r.getStatusCode()).isEqualTo(303);
        assertThat(store.calls("deleteSession")).isEqualTo(1);
        assertThat(victim.cookies()).doesNotContainKey(SESSION_COOKIE);
        // back to the invariant the other cases end with
        site.login(victim, "victim", "vic@example.com");
        store.reset();
    }

    private APIGatewayV2HTTPResponse post(Map<String, String> headers, String body) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("content-type", FORM);
        return victim.send("POST", "/logout", all, body);
    }

    private void assertRefused(APIGatewayV2HTTPResponse r) {
        assertThat(r.getStatusCode()).isEqualTo(403);
        assertThat(r.getBody()).contains("csrf_rejected").contains("request id");
        assertThat(r.getCookies()).as("a refused logout clears nothing").isNull();
        assertThat(victim.cookies()).containsKey(SESSION_COOKIE);
    }

    static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("page has a CSRF field").isTrue();
        return m.group(1);
    }
}
