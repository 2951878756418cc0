package app.signin.conformance.provider;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * The one check only the callback has: the ID token must carry the nonce its own login sent (OpenID Connect
 * Core 3.1.3.7 step 11), so a token minted for another login cannot be replayed into this one. The rest of
 * the hostile-token suite runs at both entry points ({@link IdTokenRejectionTest}).
 */
class CallbackNonceTest extends ProviderHarness {
    static final RSAKey KEY = IdTokens.rsaKey("google-key-1");

    @Override
    JWK signingKey() {
        return KEY;
    }

    @Test
    void callback_withWrongNonce_isRejected() {
        Attempt a = startLogin();
        // A valid token, but minted for another login (replay of someone else's token into this one).
        Attempt other = startLogin();
        rejectsAsInvalid(a, a.token().claim("nonce", other.nonce), "Unexpected JWT nonce");
        // The log names the failed check but never the nonce of a login still in progress.
        assertThat(log()).doesNotContain(other.nonce).doesNotContain(a.nonce);
    }

    @Test
    void callback_withoutNonce_isRejected() {
        Attempt a = startLogin();
        rejectsAsInvalid(a, a.token().without("nonce"), "Missing JWT nonce");
    }
}
