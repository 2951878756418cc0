package app.signin.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The session secret's keys, each split into independent sub-keys by HMAC-based derivation so that the
 * cookie MAC key never doubles as an encryption key.
 *
 * <p>Several secrets may be configured: the first signs and encrypts, every one verifies and decrypts. A
 * key's id is derived from the key itself, so rotating means "put the new secret first, keep the old one
 * until its sessions expire" with no ids to invent; a key that is removed stops verifying at once.
 */
public final class Keyring {
    private final List<Key> keys;
    private final Map<String, Key> byId;

    public Keyring(List<String> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one secret is required");
        }
        List<Key> derived = new ArrayList<>();
        Map<String, Key> index = new LinkedHashMap<>();
        for (String secret : secrets) {
            Key key = Key.derive(secret);
            if (index.putIfAbsent(key.id(), key) == null) {
                derived.add(key);
            }
        }
        this.keys = List.copyOf(derived);
        this.byId = Map.copyOf(index);
    }

    /** The key that signs and encrypts new material. */
    public Key current() {
        return keys.getFirst();
    }

    public Optional<Key> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public List<Key> all() {
        return keys;
    }

    /** One configured secret, derived into purpose-bound sub-keys. */
    public static final class Key {
        private final String id;
        private final Mac cookieMac;
        private final Mac tokenMac;
        private final Mac csrfMac;
        private final Mac handleMac;

        private Key(String id, byte[] cookieMacKey, byte[] tokenKey, byte[] csrfKey, byte[] handleKey) {
            this.id = id;
            this.cookieMac = keyed(cookieMacKey);
            this.tokenMac = keyed(tokenKey);
            this.csrfMac = keyed(csrfKey);
            this.handleMac = keyed(handleKey);
        }

        static Key derive(String secret) {
            byte[] master = secret.getBytes(StandardCharsets.UTF_8);
            byte[] idBytes = hmac(master, "signin/v1/key-id");
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(idBytes).substring(0, 8);
            return new Key(id, hmac(master, "signin/v1/cookie-mac"), hmac(master, "signin/v1/token-encryption"),
                    hmac(master, "signin/v1/csrf"), hmac(master, "signin/v1/session-handle"));
        }

        public String id() {
            return id;
        }

        /** HMAC-SHA256 with the cookie MAC key. */
        public byte[] macCookie(byte[] message) {
            return mac(cookieMac, message);
        }

        /** A per-session AES key: needs this server key and the raw session id, which only the cookie holds. */
        public byte[] tokenKeyFor(byte[] rawSessionId) {
            return mac(tokenMac, rawSessionId);
        }

        /** HMAC-SHA256 with the CSRF key (logout form tokens). */
        public byte[] macCsrf(byte[] message) {
            return mac(csrfMac, message);
        }

        /**
         * HMAC-SHA256 with the session-handle key: the handles a user's session list shows. A key of its
         * own, so a handle is never also a valid CSRF token or cookie MAC.
         */
        public byte[] macHandle(byte[] message) {
            return mac(handleMac, message);
        }

        @Override
        public String toString() {
            return "Key[" + id + "]";
        }
    }

    /**
     * An initialised HMAC kept as a prototype. Each use works on a clone: Mac is not thread-safe, and a
     * clone skips the provider look-up and the key schedule that {@code getInstance} + {@code init} cost on
     * every request (measured in BENCHMARKS.md). The prototype is also fed zero bytes: the JDK's HMAC
     * hashes the key's inner pad on the first update, so every clone starts past that block - one SHA-256
     * compression of the four or five per MAC, ~20% of a cookie check under C1. The MAC is the same: an
     * empty update adds nothing to the message (KeyringTest compares with a fresh Mac).
     */
    private static Mac keyed(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(new byte[0]);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static byte[] mac(Mac prototype, byte[] message) {
        try {
            return ((Mac) prototype.clone()).doFinal(message);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 cannot be cloned", e);
        }
    }

    static byte[] hmac(byte[] key, String message) {
        return hmac(key, message.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
