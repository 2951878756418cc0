package app.signin.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random identifiers (state, nonce, PKCE verifier, session id) and their one-way hashes.
 *
 * <p>Every value is drawn per request from a {@link SecureRandom}; nothing is generated at init, so a
 * SnapStart snapshot holds no state, nonce or session id that restored containers would share.
 */
public final class RandomTokens {
    /** 256 bits: twice the 128-bit floor, and 43 base64url characters - a valid PKCE verifier length. */
    public static final int BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final MessageDigest SHA256 = sha256Prototype();

    private final SecureRandom random;

    public RandomTokens(SecureRandom random) {
        this.random = random;
    }

    /** 32 random bytes, base64url without padding (43 characters). */
    public String next() {
        byte[] bytes = new byte[BYTES];
        random.nextBytes(bytes);
        return B64.encodeToString(bytes);
    }

    /** True for a string of the exact shape {@link #next()} produces. */
    public static boolean isWellFormed(String token) {
        return token != null && token.length() == 43 && CookieCodec.isBase64Url(token);
    }

    /** True for base64url text of exactly {@code length} characters (the shape of a MAC truncated to it). */
    public static boolean isBase64Url(String s, int length) {
        return s != null && s.length() == length && CookieCodec.isBase64Url(s);
    }

    /** SHA-256 of the text, base64url: the form stored in DynamoDB, so a leaked table yields no usable value. */
    public static String hash(String token) {
        return B64.encodeToString(sha256(token.getBytes(StandardCharsets.US_ASCII)));
    }

    public static byte[] sha256(byte[] bytes) {
        try {
            // A clone of one prototype: no provider look-up per hash (SHA-256 digests are cloneable).
            return ((MessageDigest) SHA256.clone()).digest(bytes);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 cannot be cloned", e);
        }
    }

    private static MessageDigest sha256Prototype() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    public static String base64Url(byte[] bytes) {
        return B64.encodeToString(bytes);
    }
}
