package app.signin.flow;

import static app.signin.testing.SiteUnderTest.ORIGIN;
import static app.signin.testing.SiteUnderTest.SESSION_COOKIE;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.crypto.RandomTokens;
import app.signin.oidc.Provider;
import app.signin.testing.Browser;
import app.signin.testing.ProviderSignIn;
import app.signin.testing.RecordingSessionStore;
import app.signin.testing.SiteUnderTest;
import app.signin.web.CookiePolicy;
import app.signin.web.PublicOrigin;

/**
 * What a user does to the callback after the fact (issue 10, items 10 and 11): the Back button to the
 * provider and submitting again, reopening a used callback URL, cancelling at the provider. A browser that
 * is signed in already continues, signed in as before - and nothing else changes: no token request, no
 * session created or replaced, no check skipped for a login that is not its own. A browser that is not
 * signed in gets a page that says what happened and how to start again.
 */
class CallbackAfterSignInTest {
    static SiteUnderTest site;
    RecordingSessionStore store;
    Browser browser;
    APIGatewayV2HTTPResponse login;
    String callback;

    @BeforeAll
    static void site() {
        site = SiteUnderTest.builder().inMemory().start();
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    /** A login started from a deep link and finished: the browser is signed in as ursula. */
    @BeforeEach
    void signedIn() {
        store = site.recording();
        browser = site.browser();
        login = SiteUnderTest.startLogin(browser, "?return_to=/reports");
        callback = site.authorize(login, "ursula", ProviderSignIn.user("ursula", "ursula@example.com"));
        assertThat(browser.get(callback).getHeaders().get("location")).isEqualTo(ORIGIN + "/reports");
        ProviderSignIn.drainRequestCounts(site.provider());
        store.reset();
    }

    @Test
    void reopenedCallbackUrl_whileSignedIn_continuesHome_withoutATokenRequestOrANewSession() {
        // GIVEN the signed-in browser's session cookie
        String session = browser.cookies().get(SESSION_COOKIE);

        // WHEN it opens the used callback URL again (history, a bookmark, a restored tab)
        APIGatewayV2HTTPResponse r = browser.get(callback);

        // THEN it continues to the site, signed in exactly as before
        assertContinuedSignedIn(r, session);
    }

    @Test
    void backToTheProvider_andSubmittingAgain_whileSignedIn_continuesHome() {
        String session = browser.cookies().get(SESSION_COOKIE);
        // The provider's page is still in the history: submitting it again issues a fresh code for the same
        // state, whose pending login the first callback consumed.
        URI again = ProviderSignIn.authorizeAs(login.getHeaders().get("location"), "ursula",
                ProviderSignIn.user("ursula", "ursula@example.com"));
        ProviderSignIn.drainRequestCounts(site.provider());

        APIGatewayV2HTTPResponse r = browser.get(again.getRawPath() + "?" + again.getRawQuery());

        assertContinuedSignedIn(r, session);
    }

    @Test
    void replayWithTheBindingCookie_whileSignedIn_continuesHome_andClearsTheStaleBindingCookie() {
        String session = browser.cookies().get(SESSION_COOKIE);
        browser.cookies().put(bindingCookieName(), "stale"); // a binding cookie that outlived its login

        APIGatewayV2HTTPResponse r = browser.get(callback);

        assertContinuedSignedIn(r, session);
        assertThat(r.getCookies()).anyMatch(c -> c.startsWith(bindingCookieName() + "=;") && c.contains("Max-Age=0"));
    }

    @Test
    void anotherBrowsersCallback_inASignedInBrowser_neitherSignsItInAsThemNorSpendsTheirLogin() {
        // GIVEN mallory's own login, waiting at the callback step in her browser
        Browser mallory = site.browser();
        APIGatewayV2HTTPResponse hers = SiteUnderTest.startLogin(mallory, "");
        String planted = site.authorize(hers, "mallory", ProviderSignIn.user("mallory", "mallory@example.com"));
        ProviderSignIn.drainRequestCounts(site.provider());
        store.reset();
        String session = browser.cookies().get(SESSION_COOKIE);

        // WHEN the signed-in victim is made to open it (login CSRF)
        APIGatewayV2HTTPResponse r = browser.get(planted);

        // THEN the victim stays ursula, and mallory's pending login was not even looked at
        assertContinuedSignedIn(r, session);
        assertThat(store.calls("takePendingLogin")).isZero();
        assertThat(mallory.get(planted).getStatusCode()).as("her own browser still finishes it").isEqualTo(303);
        assertThat(mallory.get("/").getBody()).contains("mallory@example.com");
    }

    @Test
    void reopenedCallbackUrl_afterSigningOut_saysExpiredOrUsed_andStartAgain() {
        assertThat(browser.post("/logout", Map.of("csrf", SignInFlowTest.csrf(browser.get("/").getBody()))).getStatusCode())
                .isEqualTo(303);

        APIGatewayV2HTTPResponse r = browser.get(callback);

        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(r.getBody()).contains("already used").contains("Start again")
                .contains("id=\"next\" href=\"/login\"")
                .doesNotContain("was not started in this browser.");
        assertThat(browser.cookies()).doesNotContainKey(SESSION_COOKIE);
        assertThat(ProviderSignIn.drainRequestCounts(site.provider())).doesNotContainKey("token");
    }

    @Test
    void cancelledAtTheProvider_withoutState_saysCancelled_namesTheProvider_andOffersToTryAgain() {
        Browser fresh = site.browser();

        APIGatewayV2HTTPResponse r = fresh.get("/callback?error=access_denied");

        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(r.getBody()).contains("cancelled or not completed").contains("provider_error")
                .contains("the local stand-in for Google") // the test provider is on loopback
                .contains("id=\"next\" href=\"/login\">Start sign-in again</a>")
                .doesNotContain("no state");
        assertThat(fresh.cookies()).doesNotContainKey(SESSION_COOKIE);
    }

    @Test
    void providerName_isGoogle_forGooglesIssuer_theStandIn_onLoopback_andTheHost_otherwise() {
        assertThat(Provider.displayName(URI.create("https://accounts.google.com"))).isEqualTo("Google");
        assertThat(Provider.displayName(site.provider().issuer())).isEqualTo("the local stand-in for Google");
        assertThat(Provider.displayName(URI.create("https://login.example.com/tenant"))).isEqualTo("login.example.com");
    }

    /** 303 to the site's start page; no token request, no store write; the same session as before. */
    private void assertContinuedSignedIn(APIGatewayV2HTTPResponse r, String session) {
        assertThat(r.getStatusCode()).isEqualTo(303);
        assertThat(r.getHeaders().get("location")).isEqualTo(ORIGIN + "/");
        assertThat(r.getCookies() == null ? List.<String>of() : r.getCookies())
                .noneMatch(c -> c.startsWith(SESSION_COOKIE + "="));
        assertThat(ProviderSignIn.drainRequestCounts(site.provider())).doesNotContainKey("token");
        assertThat(store.calls("putSession")).isZero();
        assertThat(store.calls("deleteSession")).isZero();
        assertThat(browser.cookies().get(SESSION_COOKIE)).isEqualTo(session);
        assertThat(browser.get("/").getBody()).contains("ursula@example.com");
    }

    private String bindingCookieName() {
        return CookiePolicy.loginCookieName(new PublicOrigin("https", Browser.DOMAIN),
                RandomTokens.hash(SignInFlowTest.param(callback, "state")));
    }
}
