package app.signin.conformance.session;

import static app.signin.testing.SiteUnderTest.SESSION_COOKIE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.App;
import app.signin.config.Config;
import app.signin.crypto.Keyring;
import app.signin.testing.Browser;
import app.signin.testing.ProviderSignIn;
import app.signin.testing.SiteUnderTest;

/**
 * Rotating {@code SESSION_SECRET}: deploy {@code "new,old"} - the first key signs, every key verifies - and
 * nobody is logged out: sessions, their CSRF tokens, logins in flight and the sealed Google tokens made
 * under the old key all keep working. Then deploy {@code "new"} alone and the old key's cookies are dead.
 */
class KeyRotationTest {
    static final String OLD = SiteUnderTest.SESSION_SECRET;
    static final String NEW = "the-next-session-secret-9876543210zyxwvutsrq";

    SiteUnderTest site; // deployed with OLD only
    App rotated;        // NEW signs, OLD still verifies
    App retired;        // NEW only

    @BeforeEach
    void deployments() {
        site = SiteUnderTest.builder().inMemory().env(Map.of(Config.SESSION_SECRET, OLD)).start();
        rotated = site.redeployed(Map.of(Config.SESSION_SECRET, NEW + "," + OLD));
        retired = site.redeployed(Map.of(Config.SESSION_SECRET, NEW));
    }

    @AfterEach
    void stop() {
        site.close();
    }

    @Test
    void rotation_logsNobodyOut_andTheirTokensStillOpenForRevocation() {
        Browser before = site.browser();
        site.login(before, "alice", "alice@example.com");
        String csrfFromTheOldPage = csrf(before.get("/").getBody());
        String oldCookie = before.cookies().get(SESSION_COOKIE);
        assertThat(keyId(oldCookie)).isEqualTo(keyIdOf(OLD));

        Browser after = site.browser(rotated);
        after.cookies().putAll(before.cookies());
        assertThat(after.get("/").getBody()).contains("alice@example.com");

        ProviderSignIn.drainRequestCounts(site.provider());
        APIGatewayV2HTTPResponse logout = after.post("/logout", Map.of("csrf", csrfFromTheOldPage));
        assertThat(logout.getStatusCode()).isEqualTo(303);
        assertThat(ProviderSignIn.drainRequestCounts(site.provider()))
                .as("the Google token sealed under the old key was opened and revoked").containsEntry("revoke", 1);
        assertThat(site.recording().calls("deleteSession")).isEqualTo(1);
    }

    @Test
    void loginStartedBeforeRotation_finishesAfterIt() {
        Browser browser = site.browser();
        APIGatewayV2HTTPResponse login = SiteUnderTest.startLogin(browser, "");
        String callback = site.authorize(login, "carol", ProviderSignIn.user("carol", "carol@example.com"));

        Browser afterRotation = site.browser(rotated);
        afterRotation.cookies().putAll(browser.cookies()); // binding cookie signed under the old key
        assertThat(afterRotation.get(callback).getStatusCode()).isEqualTo(303);
        assertThat(keyId(afterRotation.cookies().get(SESSION_COOKIE))).as("new cookies use the new key").isEqualTo(keyIdOf(NEW));
        assertThat(afterRotation.get("/").getBody()).contains("carol@example.com");
    }

    @Test
    void afterRotation_theFirstKeySignsEverythingNew() {
        Browser browser = site.browser(rotated);
        APIGatewayV2HTTPResponse login = SiteUnderTest.startLogin(browser, "");
        assertThat(browser.cookies().values()).allMatch(v -> keyId(v).equals(keyIdOf(NEW)));
        browser.get(site.authorize(login, "dave", ProviderSignIn.user("dave", "dave@example.com")));
        assertThat(keyId(browser.cookies().get(SESSION_COOKIE))).isEqualTo(keyIdOf(NEW));
    }

    @Test
    void retiredKey_isRejected_withoutAStoreRead_whileNewKeyCookiesStillWork() {
        Browser old = site.browser();
        site.login(old, "erin", "erin@example.com");
        Browser fresh = site.browser(rotated);
        site.login(fresh, "frank", "frank@example.com");

        Browser oldAfterRetirement = site.browser(retired);
        oldAfterRetirement.cookies().putAll(old.cookies());
        site.recording().reset();
        APIGatewayV2HTTPResponse r = oldAfterRetirement.get("/");
        assertThat(r.getBody()).contains("Sign in with Google").doesNotContain("erin@example.com");
        assertThat(site.recording().callsByMethod()).as("a retired key's cookie never reaches the store").isEmpty();

        Browser freshAfterRetirement = site.browser(retired);
        freshAfterRetirement.cookies().putAll(fresh.cookies());
        assertThat(freshAfterRetirement.get("/").getBody()).contains("frank@example.com");
    }

    /** The key id a signed value names: {@code v1.<key id>.<payload>.<mac>}. */
    private static String keyId(String signedValue) {
        return signedValue.split("\\.")[1];
    }

    /** The key id a secret gets (derived from the secret itself). */
    private static String keyIdOf(String secret) {
        return new Keyring(List.of(secret)).current().id();
    }

    private static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("page has a CSRF field").isTrue();
        return m.group(1);
    }
}
