package app.signin.conformance.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;

import app.signin.testing.Browser;

/**
 * A token endpoint that answers badly, slowly, hugely or not at all. The callback must answer within its
 * own budget with the right status, start no session, and never send the single-use code a second time.
 */
class TokenEndpointTest extends ProviderHarness {
    static final RSAKey KEY = IdTokens.rsaKey("google-key-1");

    @Override
    JWK signingKey() {
        return KEY;
    }

    /** Runs the callback against whatever the token endpoint was programmed to do; returns it and its duration. */
    record Timed(APIGatewayV2HTTPResponse response, long millis) {
    }

    /** A well-formed token response around {@code idToken}, for when the test spoils something else. */
    static String tokenResponse(String idToken) {
        return "{\"id_token\":\"" + idToken + "\",\"access_token\":\"ya29.a\",\"token_type\":\"Bearer\"}";
    }

    Timed timedCallback(Attempt attempt) {
        long started = System.nanoTime();
        APIGatewayV2HTTPResponse r = attempt.callback();
        return new Timed(r, (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    void callback_whenTokenResponseHasNoIdToken_isA502() {
        provider.on(HostileProvider.TOKEN, HostileProvider.Reply.json(200,
                "{\"access_token\":\"ya29.a\",\"token_type\":\"Bearer\",\"expires_in\":3599}"));
        Attempt a = startLogin();
        assertRejected(a, a.callback(), 502, "token_exchange_failed");
        assertCodeSentOnce(a);
    }

    @Test
    void callback_whenTokenResponseHasNoBearerAccessToken_isA502() {
        Attempt a = startLogin();
        provider.on(HostileProvider.TOKEN, HostileProvider.Reply.json(200,
                tokenResponse(a.token().compact()).replace("Bearer", "mac")));
        assertRejected(a, a.callback(), 502, "token_exchange_failed");
        assertCodeSentOnce(a);
    }

    @Test
    void callback_whenTokenEndpointAnswersHtml_isA502() {
        provider.on(HostileProvider.TOKEN, HostileProvider.Reply.html(200,
                "<html><body>Sign in to continue <script>alert(1)</script></body></html>"));
        Attempt a = startLogin();
        APIGatewayV2HTTPResponse r = a.callback();
        assertRejected(a, r, 502, "token_exchange_failed");
        assertThat(r.getBody()).doesNotContain("<script>");
        assertCodeSentOnce(a);
    }

    @Test
    void callback_whenTokenResponseIsJsonLabelledAsText_isA502() {
        Attempt a = startLogin();
        String json = tokenResponse(a.token().compact());
        provider.on(HostileProvider.TOKEN,
                HostileProvider.Reply.bytes(200, "text/plain", json.getBytes(StandardCharsets.UTF_8)));
        assertRejected(a, a.callback(), 502, "token_exchange_failed");
        assertCodeSentOnce(a);
    }

    @Test
    void callback_whenTokenEndpointAnswers500_isA502() {
        provider.on(HostileProvider.TOKEN, HostileProvider.Reply.html(500, "<h1>Internal Server Error</h1>"));
        Attempt a = startLogin();
        assertRejected(a, a.callback(), 502, "token_exchange_failed");
        assertCodeSentOnce(a);
    }

    @Test
    void callback_whenTokenEndpointSaysInvalidGrant_isA400AskingToStartAgain() {
        // The code expired or was used: the user's attempt is stale, the provider is fine - not a 502.
        provider.on(HostileProvider.TOKEN, HostileProvider.Reply.json(400,
                "{\"error\":\"invalid_grant\",\"error_description\":\"Bad Request\"}"));
        Attempt a = startLogin();
        APIGatewayV2HTTPResponse r = a.callback();
        assertRejected(a, r, 400, "code_rejected");
        assertThat(r.getBody()).contains("Please start again");
        assertCodeSentOnce(a);
    }

    @Test
    void callback_whenTokenEndpointHangs_answers504WithinItsBudget_andNeverResendsTheCode()
            throws InterruptedException {
        provider.on(HostileProvider.TOKEN, HostileProvider.Reply.hang());
        Attempt a = startLogin();
        Timed t = timedCallback(a);
        assertRejected(a, t.response(), 504, "provider_timeout");
        assertThat(t.millis()).isLessThan(2 * FAST.callTimeout().toMillis());
        Thread.sleep(200); // a late re-send, if there were one, would arrive now
        assertCodeSentOnce(a);
    }

    @Test
    void callback_whenTokenEndpointTricklesItsAnswer_answers504WithinItsBudget() {
        // One byte every 100 ms never trips a socket read timeout; only a whole-call deadline stops it.
        Attempt a = startLogin();
        String json = tokenResponse(a.token().compact());
        provider.on(HostileProvider.TOKEN,
                HostileProvider.Reply.drip("application/json", json, Duration.ofMillis(100)));
        Timed t = timedCallback(a);
        assertRejected(a, t.response(), 504, "provider_timeout");
        assertThat(t.millis()).isLessThan(2 * FAST.callTimeout().toMillis());
        assertCodeSentOnce(a);
    }

    @Test
    void callback_whenTokenEndpointDropsTheConnection_isA503_andTheCodeWasSentOnce() throws InterruptedException {
        provider.on(HostileProvider.TOKEN, HostileProvider.Reply.dropConnection());
        Attempt a = startLogin();
        assertRejected(a, a.callback(), 503, "provider_unavailable");
        Thread.sleep(200);
        assertCodeSentOnce(a);
    }

    @Test
    void callback_whenTokenEndpointRedirects_theRedirectIsNotFollowed() {
        // Following it would hand the code, verifier and client secret to whoever the redirect names.
        provider.on(HostileProvider.TOKEN, HostileProvider.Reply.redirect(307,
                provider.url(HostileProvider.ATTACKER_KEYS).toString()));
        Attempt a = startLogin();
        assertRejected(a, a.callback(), 502, "token_exchange_failed");
        assertCodeSentOnce(a);
        assertThat(provider.requests(HostileProvider.ATTACKER_KEYS)).isZero();
    }

    @Test
    void callback_whenTokenResponseIsOneMegabyte_isRefusedQuickly_withoutReadingItAll() {
        byte[] huge = tokenResponse("A".repeat(1024 * 1024)).getBytes(StandardCharsets.UTF_8);
        // Measured against a control: the same callback refused for a small garbage answer, run once to
        // warm up (class loading, first connections) and once measured.
        provider.on(HostileProvider.TOKEN, HostileProvider.Reply.html(200, "<p>no</p>"));
        startLogin().callback();
        Attempt control = startLogin();
        long before = allocatedBytes();
        assertRejected(control, control.callback(), 502, "token_exchange_failed");
        long controlBytes = allocatedBytes() - before;

        provider.on(HostileProvider.TOKEN, HostileProvider.Reply.bytes(200, "application/json", huge));
        Attempt a = startLogin();
        before = allocatedBytes();
        Timed t = timedCallback(a);
        long hugeBytes = allocatedBytes() - before;
        // Reading the whole answer would cost several MB more than the control (buffer growth, a String,
        // the JSON tree: about 12 MB measured); refusing it at 64 KB costs about as much as the control.
        assertThat(hugeBytes - controlBytes).as("bytes allocated beyond the control (control: %d)", controlBytes)
                .isLessThan(huge.length);
        assertRejected(a, t.response(), 502, "token_exchange_failed");
        assertThat(log()).contains("token response refused");
        assertThat(t.millis()).isLessThan(2 * FAST.callTimeout().toMillis());
    }

    @Test
    void callback_whenTokenResponseIsDeeplyNestedJson_isA502() {
        provider.on(HostileProvider.TOKEN, HostileProvider.Reply.json(200,
                "{\"token_type\":\"Bearer\",\"x\":" + IdTokens.nestedArrays(20_000) + "}"));
        Attempt a = startLogin();
        assertRejected(a, a.callback(), 502, "token_exchange_failed");
        assertCodeSentOnce(a);
    }

    @Test
    void logout_revokesTheTokenOnce_atTheAdvertisedEndpoint() {
        Attempt a = startLogin();
        assertSignedIn(a, loginWith(a, a.token().compact()));
        APIGatewayV2HTTPResponse r = a.browser.post("/logout", Map.of("csrf", csrf(a.browser)));
        assertThat(r.getStatusCode()).isEqualTo(303);
        assertThat(provider.requests(HostileProvider.REVOKE)).isEqualTo(1);
    }

    @Test
    void logout_whenTheRevocationEndpointHangs_stillEndsTheSession_withinTheRevocationBudget() {
        provider.on(HostileProvider.REVOKE, HostileProvider.Reply.hang());
        Attempt a = startLogin();
        assertSignedIn(a, loginWith(a, a.token().compact()));
        Browser browser = a.browser;
        long started = System.nanoTime();
        APIGatewayV2HTTPResponse r = browser.post("/logout", Map.of("csrf", csrf(browser)));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(r.getStatusCode()).isEqualTo(303);
        assertThat(millis).isLessThan(2 * FAST.revokeTimeout().toMillis());
        assertThat(browser.cookies()).doesNotContainKey(SESSION_COOKIE);
        assertThat(sessionItems()).isEmpty();
        assertThat(provider.requests(HostileProvider.REVOKE)).isEqualTo(1);
    }

    /** The CSRF token of the signed-in page's Sign out form. */
    static String csrf(Browser browser) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(browser.get("/").getBody());
        assertThat(m.find()).as("page has a CSRF field").isTrue();
        return m.group(1);
    }

    /**
     * Bytes allocated so far by every thread except the provider's own (the JDK's HTTP server copies what it
     * sends): the test thread and the virtual thread that makes the provider call, whose allocations are
     * counted on its carrier thread.
     */
    static long allocatedBytes() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = threads.getTotalThreadAllocatedBytes();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(HostileProvider.THREAD_NAME)) {
                long bytes = threads.getThreadAllocatedBytes(t.threadId());
                total -= Math.max(bytes, 0);
            }
        }
        return total;
    }
}
