package app.signin.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class CookieCodecTest {
    static final String K1 = "first-secret-0123456789abcdefghijklmnopqrstuv";
    static final String K2 = "second-secret-0123456789abcdefghijklmnopqrstu";
    final CookieCodec codec = new CookieCodec(new Keyring(List.of(K1)));

    @Test
    void signedValue_verifiesUnderTheSameName_andReturnsThePayload() {
        String value = codec.sign("__Host-session", "abc_DEF-123");
        assertThat(value).startsWith("v1.");
        assertThat(value.split("\\.")).hasSize(4);
        assertThat(codec.verify("__Host-session", value)).contains("abc_DEF-123");
    }

    @Test
    void signedValue_isRejectedUnderAnotherName_becauseTheMacCoversTheName() {
        String value = codec.sign("__Host-login-abc", "payload");
        assertThat(codec.verify("__Host-session", value)).isEmpty();
    }

    @Test
    void anyChangedCharacter_isRejected() {
        String value = codec.sign("n", "payloadpayload");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String tampered = value.substring(0, i) + (c == 'A' ? 'B' : 'A') + value.substring(i + 1);
            assertThat(codec.verify("n", tampered)).as("tampered at %d", i).isEmpty();
        }
    }

    @Test
    void truncatedEmptyOversizedOrMalformedValues_areRejected() {
        String value = codec.sign("n", "payload");
        assertThat(codec.verify("n", value.substring(0, value.length() - 1))).isEmpty();
        assertThat(codec.verify("n", "")).isEmpty();
        assertThat(codec.verify("n", null)).isEmpty();
        assertThat(codec.verify("n", value + "x".repeat(600))).isEmpty();
        assertThat(codec.verify("n", "v2" + value.substring(2))).isEmpty();
        assertThat(codec.verify("n", value + ".extra")).isEmpty();
        assertThat(codec.verify("n", "v1..payload.")).isEmpty();
    }

    @Test
    void rotation_firstKeySigns_everyKeyVerifies_retiredKeyIsRejected() {
        String underOld = codec.sign("n", "payload");
        CookieCodec rotated = new CookieCodec(new Keyring(List.of(K2, K1)));
        assertThat(rotated.verify("n", underOld)).contains("payload");
        assertThat(rotated.sign("n", "payload")).isNotEqualTo(underOld);
        CookieCodec retired = new CookieCodec(new Keyring(List.of(K2)));
        assertThat(retired.verify("n", underOld)).isEmpty();
    }

    @Test
    void keyIds_areDerivedFromTheSecret_andDifferPerSecret() {
        assertThat(new Keyring(List.of(K1)).current().id()).isEqualTo(new Keyring(List.of(K1)).current().id())
                .isNotEqualTo(new Keyring(List.of(K2)).current().id()).hasSize(8);
    }
}
