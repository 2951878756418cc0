package app.signin.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;

import org.junit.jupiter.api.Test;

class TokenCipherTest {
    final Keyring keyring = new Keyring(List.of("token-secret-0123456789abcdefghijklmnopqrstuv"));
    final TokenCipher cipher = new TokenCipher(keyring, new SecureRandom());

    @Test
    void sealedTokens_openOnlyWithTheRawSessionIdAndTheServerKey() {
        TokenCipher.Sealed sealed = cipher.seal("access\nrefresh", "raw-session-id", "hash");
        assertThat(new String(sealed.ciphertext(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("access");
        assertThat(cipher.open(sealed, "raw-session-id", "hash")).contains("access\nrefresh");
        assertThat(cipher.open(sealed, "another-session-id", "hash")).isEmpty();
        assertThat(cipher.open(sealed, "raw-session-id", "other-hash")).isEmpty();
        TokenCipher otherServer = new TokenCipher(new Keyring(List.of("other-secret-0123456789abcdefghijklmnopqrs")),
                new SecureRandom());
        assertThat(otherServer.open(sealed, "raw-session-id", "hash")).isEmpty();
    }

    @Test
    void sealingTwice_givesDifferentCiphertexts() {
        assertThat(cipher.seal("t", "id", "h").ciphertext()).isNotEqualTo(cipher.seal("t", "id", "h").ciphertext());
    }

    /** The provider is chosen at class load; a JVM without the cipher learns it on use, by name, not as an init error. */
    @Test
    void aCipherThisJvmLacks_failsOnUse_withAnIllegalStateExceptionNamingIt() {
        TokenCipher.Chosen missing = TokenCipher.Chosen.of("AES/NoSuchMode/NoPadding");

        assertThatThrownBy(missing::provider).isInstanceOf(IllegalStateException.class)
                .hasMessage("AES/NoSuchMode/NoPadding is unavailable in this JVM")
                .hasCauseInstanceOf(java.security.NoSuchAlgorithmException.class);
        assertThat(TokenCipher.Chosen.of("AES/GCM/NoPadding").provider()).isNotNull();
    }
}
