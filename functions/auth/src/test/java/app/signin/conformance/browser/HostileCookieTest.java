package app.signin.conformance.browser;

import static app.signin.testing.SiteUnderTest.SESSION_COOKIE;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.App;
import app.signin.config.Config;
import app.signin.crypto.CookieCodec;
import app.signin.crypto.Keyring;
import app.signin.crypto.RandomTokens;
import app.signin.store.AwsClients;
import app.signin.testing.Browser;
import app.signin.testing.Handlers;
import app.signin.testing.RecordingSessionStore;
import app.signin.testing.SiteUnderTest;
import app.signin.testing.TestDynamoDb;

/**
 * Session cookies a hostile browser can send - tampered, truncated, oversized, duplicated, signed with
 * another key, or a real cookie of ours under the wrong name - are no session at all. A bad signature is
 * refused before the store is asked: proven by the store's call count, and by a site whose DynamoDB
 * endpoint is a closed port still answering the forged request with the sign-in page.
 */
class HostileCookieTest {
    static final String OTHER_SECRET = "another-deployments-secret-0123456789abcdef";

    // One site and one signed-in victim for the class: no case may change the victim's session, and each
    // checks that it did not.
    static SiteUnderTest site;
    static RecordingSessionStore store;
    static Browser victim;
    static String good;

    @BeforeAll
    static void victimSignedIn() {
        site = SiteUnderTest.builder().inMemory().start();
        store = site.recording();
        victim = site.browser();
        site.login(victim, "victim", "vera@example.com");
        good = victim.cookies().get(SESSION_COOKIE);
        assertThat(victim.get("/").getBody()).contains("vera@example.com");
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    @AfterEach
    void victimIsStillSignedIn() {
        assertThat(victim.get("/").getBody()).contains("vera@example.com");
    }

    /** Ways to spoil a genuine {@code v1.<key id>.<session id>.<mac>} value. */
    static Stream<Arguments> spoiled() {
        List<Arguments> cases = new ArrayList<>();
        add(cases, "mac's last character changed", v -> v.substring(0, v.length() - 1) + other(v.charAt(v.length() - 1)));
        add(cases, "mac's first character changed", v -> replacePart(v, 3, p -> other(p.charAt(0)) + p.substring(1)));
        add(cases, "session id's character changed", v -> replacePart(v, 2, p -> p.substring(0, 10) + other(p.charAt(10)) + p.substring(11)));
        add(cases, "another session id under the old mac", v -> replacePart(v, 2, p -> "A".repeat(43)));
        add(cases, "key id changed", v -> replacePart(v, 1, p -> other(p.charAt(0)) + p.substring(1)));
        add(cases, "version v2", v -> "v2" + v.substring(2));
        add(cases, "version upper-cased", v -> "V1" + v.substring(2));
        add(cases, "whole value upper-cased", v -> v.toUpperCase(java.util.Locale.ROOT));
        add(cases, "fifth segment appended", v -> v + ".AAAA");
        add(cases, "mac removed", v -> v.substring(0, v.lastIndexOf('.')));
        add(cases, "mac emptied", v -> v.substring(0, v.lastIndexOf('.') + 1));
        add(cases, "base64 padding appended", v -> v + "=");
        add(cases, "dots percent-encoded", v -> v.replace(".", "%2E"));
        add(cases, "space inside", v -> v.substring(0, 20) + " " + v.substring(20));
        add(cases, "NUL inside", v -> v.substring(0, 20) + "\u0000" + v.substring(20));
        add(cases, "bare session id, unsigned", v -> v.split("\\.")[2]);
        add(cases, "empty value", v -> "");
        add(cases, "oversized: 8 KB appended to a valid value", v -> v + "A".repeat(8 * 1024));
        add(cases, "oversized: 8 KB session id", v -> replacePart(v, 2, p -> "A".repeat(8 * 1024)));
        add(cases, "signed with another deployment's secret", v ->
                new CookieCodec(new Keyring(List.of(OTHER_SECRET))).sign(SESSION_COOKIE, v.split("\\.")[2]));
        add(cases, "our key id, other secret's mac", v -> {
            String forged = new CookieCodec(new Keyring(List.of(OTHER_SECRET))).sign(SESSION_COOKIE, v.split("\\.")[2]);
            return replacePart(forged, 1, p -> v.split("\\.")[1]);
        });
        add(cases, "signed by our key for another cookie name (http 'session')", v ->
                new CookieCodec(new Keyring(List.of(SiteUnderTest.SESSION_SECRET))).sign("session", v.split("\\.")[2]));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spoiled")
    void spoiledSessionCookie_isNoSession_andTheStoreIsNeverAsked(String how, UnaryOperator<String> spoil) {
        String forged = spoil.apply(good);
        assertThat(forged).isNotEqualTo(good);
        assertNoSessionAndNoStoreCall(List.of(SESSION_COOKIE + "=" + forged));
    }

    @Test
    void everyTruncation_isNoSession_andTheStoreIsNeverAsked() {
        for (int length = 0; length < good.length(); length++) {
            assertNoSessionAndNoStoreCall(List.of(SESSION_COOKIE + "=" + good.substring(0, length)));
        }
    }

    @Test
    void sessionCookieSentTwiceWithTheSameValue_isNoSession() {
        assertNoSessionAndNoStoreCall(List.of(SESSION_COOKIE + "=" + good, SESSION_COOKIE + "=" + good));
    }

    @Test
    void sessionCookieSentTwiceWithDifferentValues_isNoSession() {
        Browser attacker = site.browser();
        site.login(attacker, "attacker", "mallory@example.com");
        String planted = attacker.cookies().get(SESSION_COOKIE);
        assertNoSessionAndNoStoreCall(List.of(SESSION_COOKIE + "=" + good, SESSION_COOKIE + "=" + planted));
        assertNoSessionAndNoStoreCall(List.of(SESSION_COOKIE + "=" + planted, SESSION_COOKIE + "=" + good));
        assertNoSessionAndNoStoreCall(List.of(SESSION_COOKIE + "=" + good, SESSION_COOKIE + "=garbage"));
    }

    @Test
    void loginBindingCookieValue_presentedAsTheSessionCookie_isNoSession() {
        Browser browser = site.browser();
        SiteUnderTest.startLogin(browser, "");
        String binding = browser.cookies().entrySet().stream()
                .filter(e -> e.getKey().startsWith("__Host-login-")).findFirst().orElseThrow().getValue();
        assertNoSessionAndNoStoreCall(List.of(SESSION_COOKIE + "=" + binding));
    }

    @Test
    void sessionCookieValue_presentedAsALoginBindingCookie_bindsNoLogin() {
        // The attacker's own session id is a well-formed 43-character token, like a state; their session
        // cookie is validly signed by us - but for the session cookie's name, not a binding cookie's.
        String rawId = good.split("\\.")[2];
        String bindingName = "__Host-login-" + RandomTokens.hash(rawId).substring(0, 16);
        store.reset();
        APIGatewayV2HTTPResponse r = send(site.app(), "/callback?code=stolen&state=" + rawId,
                List.of(bindingName + "=" + good));
        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(r.getBody()).contains("state_mismatch");
        assertThat(store.totalCalls()).as("store calls").isZero();
    }

    @Test
    void forgedCookie_onASiteWhoseStoreIsAClosedPort_stillGetsTheSignInPage() {
        URI closedPort = URI.create("http://127.0.0.1:" + TestDynamoDb.freePort());
        try (SiteUnderTest offline = SiteUnderTest.builder().dynamoDb(closedPort).env(Config.SESSION_TABLE, "sessions").start()) {
            String wellFormedButForged = new CookieCodec(new Keyring(List.of(OTHER_SECRET)))
                    .sign(SESSION_COOKIE, new RandomTokens(new java.security.SecureRandom()).next());
            long start = System.nanoTime();
            APIGatewayV2HTTPResponse forged = send(offline.app(), "/", List.of(SESSION_COOKIE + "=" + wellFormedButForged));
            assertThat(forged.getStatusCode()).isEqualTo(200);
            assertThat(forged.getBody()).contains("Sign in with Google");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(AwsClients.DYNAMODB_CALL_TIMEOUT);

            // The control: a cookie that verifies does need the store, and the closed port answers 503.
            String signed = new CookieCodec(new Keyring(List.of(SiteUnderTest.SESSION_SECRET)))
                    .sign(SESSION_COOKIE, new RandomTokens(new java.security.SecureRandom()).next());
            assertThat(send(offline.app(), "/", List.of(SESSION_COOKIE + "=" + signed)).getStatusCode()).isEqualTo(503);
        }
    }

    @Test
    void noCookieValue_orSessionId_isEverLogged() {
        send(site.app(), "/", List.of(SESSION_COOKIE + "=" + good + "x"));
        send(site.app(), "/", List.of(SESSION_COOKIE + "=" + good, SESSION_COOKIE + "=" + good));
        String log = site.logText();
        assertThat(log).isNotEmpty().doesNotContain(good.split("\\.")[2]).doesNotContain(good.split("\\.")[3]);
    }

    /** Index and both logout methods treat these cookies as no session; the store is not called once. */
    private static void assertNoSessionAndNoStoreCall(List<String> cookies) {
        store.reset();
        APIGatewayV2HTTPResponse index = send(site.app(), "/", cookies);
        assertThat(index.getStatusCode()).isEqualTo(200);
        assertThat(index.getBody()).contains("Sign in with Google").doesNotContain("vera@example.com")
                .doesNotContain("mallory@example.com").doesNotContain("name=\"csrf\"");
        assertThat(index.getCookies()).as("the bad cookie is cleared").anyMatch(c -> c.startsWith(SESSION_COOKIE + "=;"));

        APIGatewayV2HTTPResponse confirm = send(site.app(), "/logout", cookies);
        assertThat(confirm.getBody()).doesNotContain("name=\"csrf\"");

        APIGatewayV2HTTPResponse logout = Handlers.routes(site.app()).get("/logout").handleRequest(Browser.event("POST",
                "/logout", Map.of("content-type", "application/x-www-form-urlencoded", "origin", SiteUnderTest.ORIGIN,
                        "sec-fetch-site", "same-origin"), "csrf=anything", cookies), null);
        assertThat(logout.getStatusCode()).isEqualTo(303);
        assertThat(store.callsByMethod()).as("store calls for %s", cookies).isEmpty();
    }

    static APIGatewayV2HTTPResponse send(App app, String pathAndQuery, List<String> cookies) {
        var event = Browser.event("GET", pathAndQuery, Map.of(), null, cookies);
        return Handlers.routes(app).get(event.getRawPath()).handleRequest(event, null);
    }

    private static void add(List<Arguments> cases, String how, UnaryOperator<String> spoil) {
        cases.add(Arguments.of(how, spoil));
    }

    private static String replacePart(String value, int index, UnaryOperator<String> change) {
        String[] parts = value.split("\\.", -1);
        parts[index] = change.apply(parts[index]);
        return String.join(".", parts);
    }

    private static char other(char c) {
        return c == 'A' ? 'B' : 'A';
    }
}
