package app.signin.conformance.browser;

import static app.signin.testing.SiteUnderTest.SESSION_COOKIE;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.testing.AuthorizationResponse;
import app.signin.testing.Browser;
import app.signin.testing.ProviderSignIn;
import app.signin.testing.RecordingSessionStore;
import app.signin.testing.SiteUnderTest;

/**
 * What a hostile browser can do to the authorization response at {@code /callback}: drop, forge, replay,
 * duplicate or transplant the {@code state}; send {@code code} and {@code error} together; name another
 * issuer in {@code iss} (RFC 9207). Each ends in a 4xx page with no session, no session cookie and - for
 * everything decided before the pending login is consumed - no token request and no store write.
 */
class HostileAuthorizationResponseTest {
    static SiteUnderTest site;
    RecordingSessionStore store;
    Browser browser;
    APIGatewayV2HTTPResponse login;
    String state;
    String callback;
    /** The provider's good answer; each test changes one thing about it. */
    AuthorizationResponse response;

    @BeforeAll
    static void site() {
        site = SiteUnderTest.builder().inMemory().start();
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    /** A login waiting at the callback step: the provider has answered, the browser holds its binding cookie. */
    @BeforeEach
    void loginAtTheCallbackStep() {
        store = site.recording();
        browser = site.browser();
        login = SiteUnderTest.startLogin(browser, "");
        state = param(login.getHeaders().get("location"), "state");
        callback = site.authorize(login, "user-" + state.substring(0, 6), ProviderSignIn.user("u", "ursula@example.com"));
        response = AuthorizationResponse.of(callback);
        assertThat(response.uri()).isEqualTo(callback);
        ProviderSignIn.drainRequestCounts(site.provider());
        store.reset();
    }

    @Test
    void stateMissing_isRejected() {
        assertRefused(browser.get("/callback?code=" + code()), 400, "state_missing");
        assertRefused(browser.get("/callback?state=&code=" + code()), 400, "state_missing");
        assertNothingConsumed();
    }

    @Test
    void stateWrong_isRejectedAsNotFromThisBrowser() {
        String forged = "A".repeat(43);
        assertRefused(browser.get("/callback?code=" + code() + "&state=" + forged), 400, "state_mismatch");
        assertRefused(browser.get("/callback?code=" + code() + "&state=short"), 400, "state_unknown");
        assertRefused(browser.get("/callback?code=" + code() + "&state=" + enc("<script>" + state)), 400, "state_unknown");
        assertNothingConsumed();
    }

    @Test
    void stateReused_isRejectedBeforeAnyTokenRequest() {
        Map<String, String> bindingCookies = Map.copyOf(browser.cookies());
        assertThat(browser.get(callback).getStatusCode()).isEqualTo(303);
        assertThat(ProviderSignIn.drainRequestCounts(site.provider())).containsEntry("token", 1);
        String firstSession = browser.cookies().get(SESSION_COOKIE);

        // The replay carries the binding cookie too, but not the session: a browser that is signed in is sent
        // on instead (CallbackAfterSignInTest), which must not hide that the replay itself is refused.
        browser.cookies().putAll(bindingCookies);
        browser.cookies().remove(SESSION_COOKIE);
        APIGatewayV2HTTPResponse replay = browser.get(callback);
        assertThat(replay.getStatusCode()).isEqualTo(400);
        assertThat(replay.getBody()).contains("state_unknown");
        assertThat(replay.getCookies()).noneMatch(c -> c.startsWith(SESSION_COOKIE + "=v1"));
        assertThat(ProviderSignIn.drainRequestCounts(site.provider())).doesNotContainKey("token");
        assertThat(store.calls("putSession")).isEqualTo(1);
        assertThat(browser.cookies()).doesNotContainKey(SESSION_COOKIE);
        browser.cookies().put(SESSION_COOKIE, firstSession);
        assertThat(browser.get("/").getBody()).as("the first session is untouched").contains("ursula@example.com");
    }

    @Test
    void stateFromAnotherBrowser_isRejected_andTheRealBrowserStillFinishes() {
        Browser victim = site.browser();
        assertRefused(victim.get(callback), 400, "state_mismatch");
        assertThat(victim.cookies()).doesNotContainKey(SESSION_COOKIE);
        assertNothingConsumed();
        assertThat(browser.get(callback).getStatusCode()).isEqualTo(303);
    }

    @Test
    void stateDuplicated_isRejected_whateverTheCopies() {
        assertRefused(browser.get(response.plus("state", state).uri()), 400, "bad_request");
        assertRefused(browser.get(response.plus("state", "B".repeat(43)).uri()), 400, "bad_request");
        assertRefused(browser.get("/callback?state=" + "B".repeat(43) + "&" + callback.substring(callback.indexOf('?') + 1)),
                400, "bad_request");
        assertNothingConsumed();
        assertThat(browser.get(callback).getStatusCode()).as("the genuine response still works").isEqualTo(303);
    }

    @Test
    void codeDuplicated_isRejected() {
        assertRefused(browser.get(response.plus("code", "other").uri()), 400, "bad_request");
        assertNothingConsumed();
    }

    @Test
    void codeAndErrorTogether_isRejected() {
        assertRefused(browser.get(response.plus("error", "access_denied").uri()), 400, "bad_request");
        assertNothingConsumed();
    }

    @Test
    void issuerOfAnotherProvider_isRejected_rfc9207() {
        for (String iss : List.of("https://evil.example", site.provider().issuer() + "/", site.provider().issuer() + "x",
                "", site.provider().issuer().toString().toUpperCase(java.util.Locale.ROOT))) {
            assertRefused(browser.get(response.with("iss", iss).uri()), 400, "issuer_mismatch");
        }
        assertRefused(browser.get(response.with("iss", site.provider().issuer().toString()).plus("iss", "x").uri()), 400,
                "bad_request");
        assertNothingConsumed();
    }

    @Test
    void issuerThatMatches_isAccepted_rfc9207() {
        APIGatewayV2HTTPResponse r = browser.get(response.with("iss", site.provider().issuer().toString()).uri());
        assertThat(r.getStatusCode()).isEqualTo(303);
        assertThat(browser.get("/").getBody()).contains("ursula@example.com");
    }

    @Test
    void refusals_logNeitherTheCodeNorTheState() {
        String code = code();
        browser.get("/callback?code=" + code + "&state=" + "C".repeat(43));
        browser.get(response.plus("error", "x").uri());
        assertThat(site.logText()).doesNotContain(code).doesNotContain(state).doesNotContain("C".repeat(43));
    }

    /** A refusal: the status, the reason on a page with a request id, no stack trace, no session cookie. */
    private void assertRefused(APIGatewayV2HTTPResponse r, int status, String reason) {
        assertThat(r.getStatusCode()).isEqualTo(status);
        assertThat(r.getBody()).contains(reason).contains("request id").doesNotContain("Exception")
                .doesNotContain("<script>");
        assertThat(r.getCookies() == null ? List.<String>of() : r.getCookies())
                .noneMatch(c -> c.startsWith(SESSION_COOKIE + "=v1"));
        assertThat(browser.cookies()).doesNotContainKey(SESSION_COOKIE);
    }

    /** Decided before the pending login was touched: no token request, no store call at all. */
    private void assertNothingConsumed() {
        assertThat(ProviderSignIn.drainRequestCounts(site.provider())).doesNotContainKey("token");
        assertThat(store.callsByMethod()).isEmpty();
    }

    private String code() {
        return response.raw("code");
    }

    static String param(String url, String name) {
        Matcher m = Pattern.compile("[?&]" + name + "=([^&]+)").matcher(url);
        assertThat(m.find()).as("%s in %s", name, url).isTrue();
        return m.group(1);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
