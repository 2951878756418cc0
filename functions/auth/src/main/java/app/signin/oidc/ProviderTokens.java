package app.signin.oidc;

/** What the token endpoint returned. Never logged: {@link #toString()} redacts it. */
public record ProviderTokens(String idToken, String accessToken, String refreshToken) {
    @Override
    public String toString() {
        return "ProviderTokens[redacted]";
    }

    /** The token worth revoking at logout: the refresh token if Google gave one, else the access token. */
    public String revocable() {
        return refreshToken != null && !refreshToken.isEmpty() ? refreshToken : accessToken;
    }
}
