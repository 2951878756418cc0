package app.signin.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import app.signin.crypto.Keyring;
import app.signin.crypto.TokenCipher;
import app.signin.oidc.ProviderTokens;

/**
 * What a session's sealed tokens hold, and that items sealed in the first format - still in a deployed
 * table - open as before.
 */
class SessionTokensTest {
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    final TokenCipher cipher = new TokenCipher(new Keyring(List.of("token-secret-0123456789abcdefghijklmnopqrstuv")),
            new SecureRandom());

    @Test
    void aCodeExchangesTokens_sealAndOpen_withExpiryRefreshTokenAndScope() {
        SessionTokens tokens = SessionTokens.of(new ProviderTokens("id", "ya29.access", "1//refresh",
                Duration.ofSeconds(3599), "openid email profile https://www.googleapis.com/auth/calendar.readonly"), NOW);

        SessionTokens opened = SessionTokens.open(cipher, "raw-id", stored(tokens.seal(cipher, "raw-id", "hash")))
                .orElseThrow();

        assertThat(opened).isEqualTo(tokens);
        assertThat(opened.accessTokenExpiresAt()).isEqualTo(NOW.plusSeconds(3599));
        assertThat(opened.refreshToken()).isEqualTo("1//refresh");
        assertThat(opened.scope()).endsWith("calendar.readonly");
        assertThat(opened.toString()).doesNotContain("ya29", "1//");
    }

    @Test
    void anItemSealedInTheFirstFormat_opens_withItsRefreshToken_andCountsAsExpired() {
        // GIVEN what Sessions sealed before this format existed: "<access token>\n<refresh token>"
        TokenCipher.Sealed firstFormat = cipher.seal("ya29.old-access\n1//old-refresh", "raw-id", "hash");

        // WHEN
        SessionTokens opened = SessionTokens.open(cipher, "raw-id", stored(firstFormat)).orElseThrow();

        // THEN
        assertThat(opened.accessToken()).isEqualTo("ya29.old-access");
        assertThat(opened.refreshToken()).isEqualTo("1//old-refresh");
        assertThat(opened.accessTokenExpiresAt()).as("unknown").isNull();
        assertThat(opened.isFreshAt(NOW, Duration.ZERO)).as("unknown expiry is not fresh").isFalse();
        assertThat(opened.revocable()).isEqualTo("1//old-refresh");
    }

    @Test
    void anItemSealedInTheFirstFormat_withoutRefreshToken_opensWithTheAccessTokenAlone() {
        TokenCipher.Sealed firstFormat = cipher.seal("ya29.old-access\n", "raw-id", "hash");

        SessionTokens opened = SessionTokens.open(cipher, "raw-id", stored(firstFormat)).orElseThrow();

        assertThat(opened.accessToken()).isEqualTo("ya29.old-access");
        assertThat(opened.hasRefreshToken()).isFalse();
        assertThat(opened.revocable()).isEqualTo("ya29.old-access");
    }

    @Test
    void aRefreshWithoutRefreshTokenOrScope_keepsTheOldOnes_andMovesTheExpiry() {
        SessionTokens tokens = new SessionTokens("ya29.one", NOW, "1//refresh", "openid email");

        SessionTokens refreshed = tokens.refreshed(
                new ProviderTokens(null, "ya29.two", null, Duration.ofSeconds(3600), null), NOW.plusSeconds(10));

        assertThat(refreshed).isEqualTo(new SessionTokens("ya29.two", NOW.plusSeconds(3610), "1//refresh",
                "openid email"));
    }

    @Test
    void aRefreshThatBringsANewRefreshToken_storesTheNewOne() {
        SessionTokens tokens = new SessionTokens("ya29.one", NOW, "1//old", "openid");

        assertThat(tokens.refreshed(new ProviderTokens(null, "ya29.two", "1//new", null, null), NOW).refreshToken())
                .isEqualTo("1//new");
    }

    @Test
    void isFreshAt_countsTheSkewAsAlreadyExpired() {
        SessionTokens tokens = new SessionTokens("ya29.a", NOW.plusSeconds(60), null, null);

        assertThat(tokens.isFreshAt(NOW.minusSeconds(1), Duration.ofSeconds(60))).isTrue();
        assertThat(tokens.isFreshAt(NOW, Duration.ofSeconds(60))).isFalse();
    }

    private static StoredSession stored(TokenCipher.Sealed sealed) {
        return new StoredSession("hash", "sub", "a@example.com", true, null, null, null, NOW, NOW, NOW.plusSeconds(3600),
                sealed.keyId(), sealed.ciphertext());
    }
}
