package app.signin.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * Signs and verifies cookie values: {@code v1.<key id>.<payload>.<mac>}, the MAC being HMAC-SHA256 over the
 * version, the cookie's name, the key id and the payload.
 *
 * <p>Because the name is under the MAC, a value minted for one cookie (a login-state cookie, say) is
 * worthless under another name. Verification is constant-time and happens before anything else - in
 * particular before any DynamoDB call - so a forged cookie costs one HMAC and nothing more.
 */
public final class CookieCodec {
    static final String VERSION = "v1";
    /** Longer values are refused unparsed: no real cookie of ours comes close. */
    public static final int MAX_LENGTH = 512;

    private final Keyring keyring;

    public CookieCodec(Keyring keyring) {
        this.keyring = keyring;
    }

    /** A signed value for cookie {@code name}; the payload must be base64url text. */
    public String sign(String name, String payload) {
        requireBase64Url(payload);
        Keyring.Key key = keyring.current();
        return VERSION + '.' + key.id() + '.' + payload + '.' + mac(key, name, payload);
    }

    /** The payload if {@code value} was signed by a configured key for cookie {@code name}; empty otherwise. */
    public Optional<String> verify(String name, String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String[] parts = value.split("\\.", -1);
        if (parts.length != 4 || !VERSION.equals(parts[0]) || !isBase64Url(parts[2]) || !isBase64Url(parts[3])) {
            return Optional.empty();
        }
        Optional<Keyring.Key> key = keyring.byId(parts[1]);
        if (key.isEmpty()) {
            return Optional.empty(); // signed by a retired key, or forged
        }
        byte[] expected = mac(key.get(), name, parts[2]).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = parts[3].getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual) ? Optional.of(parts[2]) : Optional.empty();
    }

    private static String mac(Keyring.Key key, String name, String payload) {
        String message = VERSION + '\n' + name + '\n' + key.id() + '\n' + payload;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                key.macCookie(message.getBytes(StandardCharsets.UTF_8)));
    }

    private static void requireBase64Url(String payload) {
        if (!isBase64Url(payload)) {
            throw new IllegalArgumentException("cookie payload must be non-empty base64url text");
        }
    }

    static boolean isBase64Url(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
