package app.signin.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class LoginStarterTest {
    @Test
    void s256Challenge_isUnpaddedBase64UrlOfTheVerifiersSha256() throws Exception {
        // RFC 7636 appendix B's example verifier and challenge.
        assertThat(Pkce.s256Challenge("dBjftJeZ4CVP-mJ92K1PmMBtMTMVd7RMN3pUA1D8YsYA".substring(0, 43)))
                .isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                        .digest("dBjftJeZ4CVP-mJ92K1PmMBtMTMVd7RMN3pUA1D8YsYA".substring(0, 43).getBytes(StandardCharsets.US_ASCII))));
        assertThat(Pkce.s256Challenge("dBjftJeZ4CVP-mJ92K1PmMBtMTMVd7RMN3pUA1D8YsYA".substring(0, 43)))
                .doesNotContain("=");
    }

    @Test
    void s256Challenge_matchesAnIndependentlyComputedVector() {
        // printf 'M%.0s' {1..43} | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '='
        assertThat(Pkce.s256Challenge("M".repeat(43))).isEqualTo("AiY5plVG51ZiPpD2ekpfSt842NR4sU6RI8ZAl72GueQ");
    }

    @Test
    void verifiersOutside43To128UnreservedCharacters_areRefused() {
        assertThatThrownBy(() -> Pkce.s256Challenge("a".repeat(42))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pkce.s256Challenge("a".repeat(129))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pkce.s256Challenge("a".repeat(42) + "+")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Pkce.s256Challenge("a".repeat(128))).hasSize(43);
    }
}
