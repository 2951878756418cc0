package app.signin.login;

import java.nio.charset.StandardCharsets;

import app.signin.crypto.RandomTokens;

/** PKCE (RFC 7636) with S256 only: {@code plain} is never offered, so there is nothing to downgrade to. */
public final class Pkce {
    private Pkce() {
    }

    /** BASE64URL(SHA256(ASCII(verifier))), unpadded. The verifier must be 43-128 unreserved characters. */
    public static String s256Challenge(String verifier) {
        if (verifier.length() < 43 || verifier.length() > 128 || !verifier.matches("[A-Za-z0-9._~-]+")) {
            throw new IllegalArgumentException("PKCE verifier must be 43-128 unreserved characters");
        }
        return RandomTokens.base64Url(RandomTokens.sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
    }
}
