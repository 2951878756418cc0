package app.signin.conformance.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.nimbusds.jose.jwk.RSAKey;

import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.oidc.IdTokenVerifier;
import app.signin.oidc.Identity;

/**
 * Google documents that its ID tokens carry {@code iss} {@code https://accounts.google.com} or
 * {@code accounts.google.com}. With Google's issuer configured both are accepted and nothing else; any
 * other issuer is matched exactly. Tokens are minted and signed with Nimbus, and the verifier fetches the
 * keys from the in-process provider's JWKS endpoint, as it would from Google's.
 */
class GoogleIssuerFormsTest {
    static final RSAKey KEY = IdTokens.rsaKey("google-forms-key");
    static final URI GOOGLE = URI.create("https://accounts.google.com");
    static final String NONCE = "n-0S6_WzA2Mj";

    HostileProvider provider;

    @BeforeEach
    void start() {
        provider = new HostileProvider();
        provider.publish(KEY);
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    IdTokenVerifier verifierFor(URI issuer) {
        return new IdTokenVerifier(issuer, HostileProvider.CLIENT_ID, Set.of(HostileProvider.CLIENT_ID),
                provider.url(HostileProvider.JWKS),
                ProviderHarness.FAST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://accounts.google.com", "accounts.google.com"})
    void googleIssuer_acceptsBothOfGooglesDocumentedIssForms(String iss) {
        // GIVEN a genuine Google-shaped token carrying one of the two forms
        String token = IdTokens.valid(KEY, iss, NONCE).compact();
        // WHEN it is verified with Google's issuer configured
        Identity identity = verifierFor(GOOGLE).verify(token, NONCE, Instant.now());
        // THEN it is accepted
        assertThat(identity.email()).isEqualTo("alice@example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://accounts.google.com", "https://accounts.google.com/", "ACCOUNTS.GOOGLE.COM",
            "https://accounts.google.com.evil.example", "accounts.google.com.evil.example", "//accounts.google.com",
            "https://accounts.google.co", ""})
    void googleIssuer_refusesEveryOtherForm(String iss) {
        String token = IdTokens.valid(KEY, iss, NONCE).compact();
        assertThatThrownBy(() -> verifierFor(GOOGLE).verify(token, NONCE, Instant.now()))
                .isInstanceOfSatisfying(SignInException.class,
                        e -> assertThat(e.failure()).isEqualTo(Failure.ID_TOKEN_INVALID))
                .hasMessageContaining("JWT issuer");
    }

    @Test
    void googleIssuer_refusesANonStringIss() {
        String token = IdTokens.valid(KEY, "accounts.google.com", NONCE)
                .claim("iss", List.of("accounts.google.com")).compact();
        assertThatThrownBy(() -> verifierFor(GOOGLE).verify(token, NONCE, Instant.now()))
                .isInstanceOfSatisfying(SignInException.class,
                        e -> assertThat(e.failure()).isEqualTo(Failure.ID_TOKEN_INVALID));
    }

    @Test
    void anotherIssuer_isMatchedExactly_withoutItsSchemeIsRefused() {
        // GIVEN the in-process provider's own issuer, http://127.0.0.1:<port>
        URI issuer = provider.issuer();
        String bare = issuer.toString().substring("http://".length());
        // THEN exactly that issuer is accepted...
        assertThat(verifierFor(issuer).verify(IdTokens.valid(KEY, issuer.toString(), NONCE).compact(), NONCE, Instant.now()).email())
                .isEqualTo("alice@example.com");
        // ...and the scheme-less form Google's relaxation allows is not, for anyone but Google
        String token = IdTokens.valid(KEY, bare, NONCE).compact();
        assertThatThrownBy(() -> verifierFor(issuer).verify(token, NONCE, Instant.now()))
                .isInstanceOfSatisfying(SignInException.class,
                        e -> assertThat(e.failure()).isEqualTo(Failure.ID_TOKEN_INVALID))
                .hasMessageContaining("Unexpected JWT issuer");
        // ...nor Google's bare form when the issuer is not Google's
        String google = IdTokens.valid(KEY, "accounts.google.com", NONCE).compact();
        assertThatThrownBy(() -> verifierFor(issuer).verify(google, NONCE, Instant.now())).isInstanceOf(SignInException.class);
    }
}
