package app.signin.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.nimbusds.jose.util.JSONObjectUtils;

import app.signin.config.Config;
import app.signin.crypto.RandomTokens;
import app.signin.session.Sessions;
import app.signin.testing.Browser;
import app.signin.testing.ProviderSignIn;
import app.signin.testing.SiteUnderTest;

/**
 * Issue 12, "Sessions a user controls", end to end over moto's DynamoDB (the user index and its Query) and
 * the in-process OIDC provider: the list, ending one session, ending another user's, signing out
 * everywhere, and the per-user limit. The clock is the site's hand-moved one, so logins have distinct
 * start times (DynamoDB keeps whole seconds).
 */
class SessionsAUserControlsTest {
    static final String FIREFOX = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    static final String SAFARI_IOS = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

    SiteUnderTest site;

    @BeforeEach
    void site() {
        // Idle sessions live 5 days here, so a list can show one last used days ago.
        site = SiteUnderTest.builder().env(Config.SESSION_IDLE_TIMEOUT, "P5D").dynamoDbStore().recorded().start();
    }

    @AfterEach
    void close() {
        site.close();
    }

    @Test
    void sessionsPage_signedOut_redirectsToLoginAndBack() {
        APIGatewayV2HTTPResponse page = site.browser().get("/sessions");

        assertThat(page.getStatusCode()).isEqualTo(303);
        assertThat(page.getHeaders().get("location")).endsWith("/login?return_to=%2Fsessions");
    }

    @Test
    void apiSessions_signedOut_is401Json() {
        APIGatewayV2HTTPResponse api = site.browser().get("/api/sessions");

        assertThat(api.getStatusCode()).isEqualTo(401);
        assertThat(api.getHeaders().get("content-type")).startsWith("application/json");
        assertThat(api.getBody()).contains("\"error\":\"not_authenticated\"");
    }

    @Test
    void apiSessions_listsTheUsersSessionsNewestFirst_currentMarked_inExactlyTheContractsShape() throws Exception {
        Browser laptop = signedIn("user-list", "lena@example.com", FIREFOX);
        Browser phone = signedIn("user-list", "lena@example.com", SAFARI_IOS);
        signedIn("user-other", "otto@example.com", FIREFOX);

        List<Map<String, Object>> sessions = apiSessions(phone);

        assertThat(sessions).hasSize(2);
        assertThat(sessions).allSatisfy(s -> assertThat(s.keySet())
                .containsExactlyInAnyOrder("id", "current", "createdAt", "lastSeenAt", "device"));
        assertThat(sessions).extracting(s -> s.get("device")).containsExactly("Safari on iOS", "Firefox on Linux");
        assertThat(sessions).extracting(s -> s.get("current")).containsExactly(true, false);
        assertThat((String) sessions.getFirst().get("createdAt")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(apiSessions(laptop)).extracting(s -> s.get("current")).containsExactly(false, true);
    }

    @Test
    void sessionHandle_isNeitherTheCookiesSecretNorTheStoreKey_andIsNoCookie() throws Exception {
        Browser browser = signedIn("user-handle", "hana@example.com", FIREFOX);
        String cookie = browser.cookies().get(SiteUnderTest.SESSION_COOKIE);
        String rawId = cookie.split("\\.")[2];

        String handle = (String) apiSessions(browser).getFirst().get("id");

        assertThat(handle).isNotEqualTo(rawId).isNotEqualTo(RandomTokens.hash(rawId));
        assertThat(cookie).doesNotContain(handle);
        Browser forger = site.browser();
        forger.cookies().put(SiteUnderTest.SESSION_COOKIE, handle);
        assertThat(forger.get("/").getBody()).contains("Sign in with Google");
        forger.cookies().put(SiteUnderTest.SESSION_COOKIE, cookie.replace(rawId, handle));
        assertThat(forger.get("/").getBody()).contains("Sign in with Google");
    }

    @Test
    void sessionsPage_showsEachSession_coarseTimes_theCurrentMarked_andEndButtonsForTheOthers() {
        Browser laptop = signedIn("user-page", "paul@example.com", FIREFOX);
        Browser phone = signedIn("user-page", "paul@example.com", SAFARI_IOS);
        site.clock().advance(Duration.ofDays(3)); // the phone's request below refreshes its own last use

        String html = phone.get("/sessions").getBody();

        assertThat(html).contains("Safari on iOS").contains("Firefox on Linux").contains("(this browser)")
                .contains(">today<").contains(">3 days ago<").contains("id=\"sign-out-everywhere\"")
                .contains("name=\"everywhere\" value=\"true\"");
        assertThat(html.indexOf("Safari on iOS")).isLessThan(html.indexOf("Firefox on Linux"));
        assertThat(endButtons(html)).hasSize(1);
        assertThat(laptop.get("/").getBody()).contains("paul@example.com");
    }

    @Test
    void endSession_endsTheOtherBrowsersSession_onItsNextRequest_andKeepsThisOne() {
        Browser laptop = signedIn("user-end", "erik@example.com", FIREFOX);
        Browser phone = signedIn("user-end", "erik@example.com", SAFARI_IOS);
        String page = laptop.get("/sessions").getBody();

        APIGatewayV2HTTPResponse end = laptop.post("/sessions/end",
                Map.of("csrf", SignInFlowTest.csrf(page), "session", endButtons(page).getFirst()));

        assertThat(end.getStatusCode()).isEqualTo(303);
        assertThat(end.getHeaders().get("location")).endsWith("/sessions");
        assertThat(phone.get("/").getBody()).contains("Sign in with Google").doesNotContain("erik@example.com");
        assertThat(laptop.get("/").getBody()).contains("erik@example.com");
    }

    @Test
    void endSession_withAnotherUsersHandle_endsNothing_andAnswersAsForAHandleThatDoesNotExist() throws Exception {
        Browser alice = signedIn("user-alice", "alice@example.com", FIREFOX);
        Browser mallory = signedIn("user-mallory", "mallory@example.com", FIREFOX);
        String alicesHandle = (String) apiSessions(alice).getFirst().get("id");
        String csrf = SignInFlowTest.csrf(mallory.get("/sessions").getBody());

        site.recording().reset();
        APIGatewayV2HTTPResponse foreign = mallory.post("/sessions/end", Map.of("csrf", csrf, "session", alicesHandle));
        Map<String, Integer> foreignCalls = site.recording().callsByMethod();
        site.recording().reset();
        APIGatewayV2HTTPResponse unknown = mallory.post("/sessions/end",
                Map.of("csrf", csrf, "session", "AAAAAAAAAAAAAAAAAAAAAA"));

        assertThat(foreign.getStatusCode()).isEqualTo(303).isEqualTo(unknown.getStatusCode());
        assertThat(foreign.getHeaders().get("location")).isEqualTo(unknown.getHeaders().get("location"));
        assertThat(foreign.getCookies()).isEqualTo(unknown.getCookies());
        assertThat(foreign.getBody()).isEqualTo(unknown.getBody());
        // The same store calls, and no delete: nothing about Alice's session is looked up or touched.
        assertThat(foreignCalls).isEqualTo(site.recording().callsByMethod())
                .isEqualTo(Map.of("getSession", 1, "sessionsOf", 1));
        assertThat(alice.get("/").getBody()).contains("alice@example.com");
        assertThat(mallory.get("/").getBody()).contains("mallory@example.com");
    }

    @Test
    void endSession_crossSite_orWithoutTheCsrfToken_isRefused_andEndsNothing() {
        Browser laptop = signedIn("user-csrf", "cora@example.com", FIREFOX);
        Browser phone = signedIn("user-csrf", "cora@example.com", SAFARI_IOS);
        String page = laptop.get("/sessions").getBody();
        String form = "csrf=" + SignInFlowTest.csrf(page) + "&session=" + endButtons(page).getFirst();

        APIGatewayV2HTTPResponse crossSite = laptop.send("POST", "/sessions/end", Map.of(
                "content-type", "application/x-www-form-urlencoded", "sec-fetch-site", "cross-site"), form);
        APIGatewayV2HTTPResponse otherOrigin = laptop.send("POST", "/sessions/end", Map.of(
                "content-type", "application/x-www-form-urlencoded", "origin", "https://evil.example"), form);
        APIGatewayV2HTTPResponse noToken = laptop.post("/sessions/end", Map.of("session", endButtons(page).getFirst()));
        APIGatewayV2HTTPResponse badHandle = laptop.post("/sessions/end",
                Map.of("csrf", SignInFlowTest.csrf(page), "session", "not a handle"));

        assertThat(List.of(crossSite.getStatusCode(), otherOrigin.getStatusCode(), noToken.getStatusCode()))
                .containsOnly(403);
        assertThat(badHandle.getStatusCode()).isEqualTo(400);
        assertThat(phone.get("/").getBody()).contains("cora@example.com");
    }

    @Test
    void endSession_ofThisBrowsersOwnSession_signsItOut() throws Exception {
        Browser browser = signedIn("user-self", "sam@example.com", FIREFOX);
        String csrf = SignInFlowTest.csrf(browser.get("/sessions").getBody());
        String own = (String) apiSessions(browser).getFirst().get("id");

        APIGatewayV2HTTPResponse end = browser.post("/sessions/end", Map.of("csrf", csrf, "session", own));

        assertThat(end.getStatusCode()).isEqualTo(303);
        assertThat(end.getHeaders().get("location")).endsWith("/");
        assertThat(browser.cookies()).doesNotContainKey(SiteUnderTest.SESSION_COOKIE);
        assertThat(site.storedSessionCount()).isZero();
    }

    @Test
    void logoutEverywhere_endsEveryOneOfTheUsersSessions_thisOneIncluded_andNoOneElses() {
        Browser laptop = signedIn("user-all", "ada@example.com", FIREFOX);
        Browser phone = signedIn("user-all", "ada@example.com", SAFARI_IOS);
        Browser tablet = signedIn("user-all", "ada@example.com", FIREFOX);
        Browser bob = signedIn("user-bob", "bob@example.com", FIREFOX);
        String csrf = SignInFlowTest.csrf(laptop.get("/sessions").getBody());
        site.provider().countRequests("/revoke");

        APIGatewayV2HTTPResponse logout = laptop.post("/logout", Map.of("csrf", csrf, "everywhere", "true"));

        assertThat(logout.getStatusCode()).isEqualTo(303);
        for (Browser b : List.of(laptop, phone, tablet)) {
            assertThat(b.get("/").getBody()).contains("Sign in with Google").doesNotContain("ada@example.com");
        }
        assertThat(bob.get("/").getBody()).contains("bob@example.com");
        assertThat(site.storedSessionCount()).isEqualTo(1);
        assertThat(site.provider().countRequests("/revoke")).as("this session's token revoked").isEqualTo(1);
    }

    @Test
    void logoutEverywhere_withTheStoreFailingHalfWay_keepsThisSession_andCountsTheOnesThatEnded() {
        Browser laptop = signedIn("user-half", "hana@example.com", FIREFOX);
        signedIn("user-half", "hana@example.com", SAFARI_IOS);
        signedIn("user-half", "hana@example.com", FIREFOX);
        String csrf = SignInFlowTest.csrf(laptop.get("/sessions").getBody());
        // The first delete succeeds; the second fails, as a throttled DynamoDB call would.
        site.recording().afterNext("deleteSession", () -> site.recording().failNext("deleteSession"));

        APIGatewayV2HTTPResponse logout = laptop.post("/logout", Map.of("csrf", csrf, "everywhere", "true"));

        assertThat(logout.getStatusCode()).isEqualTo(503);
        assertThat(laptop.get("/").getBody()).as("this session, to try again with").contains("hana@example.com");
        assertThat(site.storedSessionCount()).isEqualTo(2);
        assertThat(site.logText()).as("the one session that did end is counted").contains("\"SessionsEnded\":1");
    }

    @Test
    void logout_withoutEverywhere_endsOnlyThisSession() {
        Browser laptop = signedIn("user-one", "olga@example.com", FIREFOX);
        Browser phone = signedIn("user-one", "olga@example.com", SAFARI_IOS);
        String csrf = SignInFlowTest.csrf(laptop.get("/").getBody());

        laptop.post("/logout", Map.of("csrf", csrf, "everywhere", "yes"));

        assertThat(laptop.get("/").getBody()).contains("Sign in with Google");
        assertThat(phone.get("/").getBody()).contains("olga@example.com");
    }

    @Test
    void theTwentyFirstLogin_endsTheOldestSession() throws Exception {
        List<Browser> browsers = new ArrayList<>();
        for (int i = 0; i < Sessions.MAX_LIVE_PER_USER + 1; i++) {
            browsers.add(signedIn("user-many", "max@example.com", FIREFOX));
            site.clock().advance(Duration.ofSeconds(30));
        }

        assertThat(browsers.getFirst().get("/").getBody()).as("the oldest").contains("Sign in with Google");
        assertThat(browsers.get(1).get("/").getBody()).as("the second oldest").contains("max@example.com");
        assertThat(browsers.getLast().get("/").getBody()).as("the newest").contains("max@example.com");
        assertThat(apiSessions(browsers.getLast())).hasSize(Sessions.MAX_LIVE_PER_USER);
    }

    // --- helpers ------------------------------------------------------------------------------------------

    Browser signedIn(String sub, String email, String userAgent) {
        Browser browser = site.browser();
        APIGatewayV2HTTPResponse login = browser.get("/login");
        assertThat(login.getStatusCode()).as("GET /login: %s", site.logText()).isEqualTo(302);
        String callback = site.authorize(login, sub, ProviderSignIn.user(sub, email));
        APIGatewayV2HTTPResponse done = browser.send("GET", callback, Map.of("user-agent", userAgent), null);
        assertThat(done.getStatusCode()).as("callback").isEqualTo(303);
        site.clock().advance(Duration.ofSeconds(1));
        return browser;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> apiSessions(Browser browser) throws ParseException {
        APIGatewayV2HTTPResponse api = browser.get("/api/sessions");
        assertThat(api.getStatusCode()).isEqualTo(200);
        Map<String, Object> body = JSONObjectUtils.parse(api.getBody());
        assertThat(body.keySet()).containsExactly("sessions");
        return (List<Map<String, Object>>) body.get("sessions");
    }

    /** The handles in the page's End forms, in page order. */
    static List<String> endButtons(String html) {
        Matcher m = Pattern.compile("name=\"session\" value=\"([^\"]+)\"").matcher(html);
        List<String> handles = new ArrayList<>();
        while (m.find()) {
            handles.add(m.group(1));
        }
        return handles;
    }
}
