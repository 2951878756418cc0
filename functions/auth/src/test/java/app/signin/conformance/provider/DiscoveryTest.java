package app.signin.conformance.provider;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;

import app.signin.testing.Browser;

/**
 * The provider's discovery document missing, slow, or lying. {@code /login} needs it to know where to send
 * the browser, so every failure is a 503 with {@code Retry-After} and nothing stored - and a failure is
 * never cached: the next request tries again, so the container heals by itself when the provider returns.
 */
class DiscoveryTest extends ProviderHarness {
    static final RSAKey KEY = IdTokens.rsaKey("google-key-1");

    @Override
    JWK signingKey() {
        return KEY;
    }

    /** {@code GET /login} is refused as "provider unavailable", and no pending login was stored. */
    void loginIsUnavailable(Browser browser) {
        APIGatewayV2HTTPResponse r = browser.get("/login");
        assertRejected(browser, r, 503, "provider_unavailable");
        assertThat(r.getHeaders()).containsEntry("retry-after", "5");
        assertThat(pendingLoginItems()).isEmpty();
    }

    @Test
    void login_whenDiscoveryFails_isA503_thenRecoversByItselfWhenTheProviderReturns() {
        provider.on(HostileProvider.DISCOVERY, HostileProvider.Reply.html(500, "<h1>Internal Server Error</h1>"));
        Browser browser = browser();
        loginIsUnavailable(browser);
        loginIsUnavailable(browser);
        assertThat(provider.requests(HostileProvider.DISCOVERY)).as("each request tried again").isEqualTo(2);

        provider.behave();
        Attempt a = startLogin();
        assertSignedIn(a, loginWith(a, a.token().compact()));
    }

    @Test
    void login_whenDiscoveryHangs_isA503_withinTheCallBudget() {
        provider.on(HostileProvider.DISCOVERY, HostileProvider.Reply.hang());
        Browser browser = browser();
        long started = System.nanoTime();
        loginIsUnavailable(browser);
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(2 * FAST.callTimeout().toMillis());
    }

    @Test
    void login_whenDiscoveryNamesAnotherIssuer_isA503() {
        // OpenID Connect Discovery 4.3: a document for another issuer is not this provider's.
        provider.on(HostileProvider.DISCOVERY, HostileProvider.Reply.json(200,
                provider.discoveryDocument().replace("\"issuer\":\"" + provider.issuer(),
                        "\"issuer\":\"https://accounts.google.com.evil.example")));
        loginIsUnavailable(browser());
        assertThat(log()).contains("discovery issuer does not match");
    }

    @Test
    void login_whenDiscoveryPointsTheTokenEndpointAtPlainHttp_isA503() {
        // The code and client secret would cross the network in clear text.
        provider.on(HostileProvider.DISCOVERY, HostileProvider.Reply.json(200,
                provider.discoveryDocument().replace(provider.url(HostileProvider.TOKEN).toString(),
                        "http://token.evil.example/token")));
        loginIsUnavailable(browser());
        assertThat(log()).contains("token_endpoint is not https");
    }

    @Test
    void login_whenDiscoveryIsNotJson_orDeeplyNested_orOversized_isA503() {
        provider.on(HostileProvider.DISCOVERY, HostileProvider.Reply.html(200, "<html>maintenance</html>"));
        loginIsUnavailable(browser());
        provider.on(HostileProvider.DISCOVERY, HostileProvider.Reply.json(200,
                "{\"issuer\":" + IdTokens.nestedArrays(20_000) + "}"));
        loginIsUnavailable(browser());
        provider.on(HostileProvider.DISCOVERY, HostileProvider.Reply.json(200,
                "{\"padding\":\"" + "x".repeat(1024 * 1024) + "\"}"));
        loginIsUnavailable(browser());
    }
}
