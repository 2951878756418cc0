package app.signin.oidc;

import java.time.Duration;

/**
 * What the token endpoint returned: from the code exchange (with an ID token) or a refresh (usually without
 * one, and without a refresh token - Google keeps the old one valid). {@code expiresIn} and {@code scope} are
 * null when the provider left them out. Never logged: {@link #toString()} redacts it.
 */
public record ProviderTokens(String idToken, String accessToken, String refreshToken, Duration expiresIn,
        String scope) {

    public ProviderTokens(String idToken, String accessToken, String refreshToken) {
        this(idToken, accessToken, refreshToken, null, null);
    }

    @Override
    public String toString() {
        return "ProviderTokens[redacted]";
    }

    /** The token worth revoking at logout: the refresh token if Google gave one, else the access token. */
    public String revocable() {
        return refreshToken != null && !refreshToken.isEmpty() ? refreshToken : accessToken;
    }
}
