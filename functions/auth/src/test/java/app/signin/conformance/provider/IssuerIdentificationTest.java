package app.signin.conformance.provider;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;

import app.signin.conformance.provider.HostileProvider.Reply;

/**
 * RFC 9207: a provider whose discovery document sets {@code authorization_response_iss_parameter_supported}
 * promises to name itself in every authorization response. A response without {@code iss} may then come
 * from a mix-up with another provider and is refused before the pending login is used.
 */
class IssuerIdentificationTest extends ProviderHarness {
    static final RSAKey KEY = IdTokens.rsaKey("iss-key-1");

    @Override
    JWK signingKey() {
        return KEY;
    }

    @BeforeEach
    void promiseIssInResponses() {
        String doc = provider.discoveryDocument();
        provider.on(HostileProvider.DISCOVERY, Reply.json(200,
                doc.substring(0, doc.length() - 1) + ",\"authorization_response_iss_parameter_supported\":true}"));
    }

    @Test
    void callback_withoutThePromisedIss_isRefusedBeforeTheCodeIsExchanged() {
        Attempt a = startLogin();
        provider.issue(a.token().compact());
        assertRejected(a, a.callback(), 400, "issuer_mismatch");
        org.assertj.core.api.Assertions.assertThat(provider.requests(HostileProvider.TOKEN)).isZero();
    }

    @Test
    void callback_withThePromisedIss_signsIn() {
        Attempt a = startLogin();
        provider.issue(a.token().compact());
        String iss = URLEncoder.encode(provider.issuer().toString(), StandardCharsets.UTF_8);
        assertSignedIn(a, a.browser.get("/callback?code=" + CODE + "&state=" + a.state + "&iss=" + iss));
    }

    @Test
    void callback_withTheIssuerWithoutItsScheme_isRefused_theIdTokenRelaxationIsNotForAuthorizationResponses() {
        // RFC 9207 2.4: simple string comparison with the metadata's issuer. Google's scheme-less form is an
        // ID-token quirk (TokenIssuer); in an authorization response it is another issuer, a possible mix-up.
        Attempt a = startLogin();
        provider.issue(a.token().compact());
        String bare = provider.issuer().toString().substring("http://".length());
        assertRejected(a, a.browser.get("/callback?code=" + CODE + "&state=" + a.state + "&iss="
                + URLEncoder.encode(bare, StandardCharsets.UTF_8)), 400, "issuer_mismatch");
        org.assertj.core.api.Assertions.assertThat(provider.requests(HostileProvider.TOKEN)).isZero();
    }
}
