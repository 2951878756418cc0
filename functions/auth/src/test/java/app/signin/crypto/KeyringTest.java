package app.signin.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The sub-keys' MACs come from prepared prototypes; each must be exactly HMAC-SHA256 with its derived key. */
class KeyringTest {
    static final String SECRET = "keyring-test-secret-0123456789abcdefghijklmnopqrstuvwxyz";

    @Test
    void everySubKeysMac_isHmacSha256_withItsDerivedKey_whateverTheMessageLength() {
        byte[] master = SECRET.getBytes(StandardCharsets.UTF_8);
        Keyring.Key key = new Keyring(List.of(SECRET)).current();
        SplittableRandom random = new SplittableRandom(14);
        for (int length = 0; length <= 200; length++) {
            byte[] message = new byte[length];
            random.nextBytes(message);
            assertThat(key.macCookie(message)).isEqualTo(Keyring.hmac(Keyring.hmac(master, "signin/v1/cookie-mac"), message));
            assertThat(key.tokenKeyFor(message))
                    .isEqualTo(Keyring.hmac(Keyring.hmac(master, "signin/v1/token-encryption"), message));
            assertThat(key.macCsrf(message)).isEqualTo(Keyring.hmac(Keyring.hmac(master, "signin/v1/csrf"), message));
            assertThat(key.macHandle(message))
                    .isEqualTo(Keyring.hmac(Keyring.hmac(master, "signin/v1/session-handle"), message));
        }
        // The prototypes are untouched by use: the same message twice gives the same MAC.
        byte[] once = key.macCookie("m".getBytes(StandardCharsets.US_ASCII));
        assertThat(key.macCookie("m".getBytes(StandardCharsets.US_ASCII))).isEqualTo(once);
    }
}
