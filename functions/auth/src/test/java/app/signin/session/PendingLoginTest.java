package app.signin.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** A pending login holds the PKCE verifier and the nonce: nothing that prints it may show either. */
class PendingLoginTest {

    @Test
    void toString_showsNeitherTheVerifierNorTheNonce_asTheOtherLoginValuesDoNot() {
        // GIVEN a pending login as the store returns it
        PendingLogin pending = new PendingLogin("the-state-hash", "the-nonce-value", "the-code-verifier-value",
                "/reports", Instant.parse("2026-01-01T00:10:00Z"));

        // WHEN it is printed (a log line, an exception message, an assertion failure)
        String printed = pending.toString();

        // THEN the secrets that would let a log reader finish the login are not in it
        assertThat(printed).doesNotContain("the-code-verifier-value").doesNotContain("the-nonce-value")
                .contains("the-state-hash");
    }
}
