package app.signin.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts a session's Google tokens with AES-256-GCM under a key derived from the server secret and the
 * raw session id. The table holds only the hash of the id, and the cookie holds no server secret: neither
 * a leaked table nor a stolen cookie alone reveals the tokens.
 */
public final class TokenCipher {
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String AES_GCM = "AES/GCM/NoPadding";
    /**
     * The provider {@code Cipher.getInstance(AES_GCM)} chooses, chosen once: that look-up walks the
     * provider list and parses the transformation on every call (several microseconds of each logout and
     * callback under C1), and the list does not change while a function runs.
     */
    private static final Chosen GCM = Chosen.of(AES_GCM);

    private final Keyring keyring;
    private final SecureRandom random;

    public TokenCipher(Keyring keyring, SecureRandom random) {
        this.keyring = keyring;
        this.random = random;
    }

    /** Encrypts with the current key; the returned key id must be stored beside the ciphertext. */
    public Sealed seal(String plaintext, String rawSessionId, String associatedData) {
        Keyring.Key key = keyring.current();
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, rawSessionId, iv, associatedData);
            byte[] ct = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return new Sealed(key.id(), ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** Decrypts, or empty when the key is retired or the ciphertext, id or associated data do not match. */
    public Optional<String> open(Sealed sealed, String rawSessionId, String associatedData) {
        Optional<Keyring.Key> key = keyring.byId(sealed.keyId());
        byte[] blob = sealed.ciphertext();
        if (key.isEmpty() || blob.length < IV_BYTES + TAG_BITS / 8) {
            return Optional.empty();
        }
        byte[] iv = java.util.Arrays.copyOf(blob, IV_BYTES);
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key.get(), rawSessionId, iv, associatedData);
            byte[] pt = cipher.doFinal(blob, IV_BYTES, blob.length - IV_BYTES);
            return Optional.of(new String(pt, StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    private static Cipher cipher(int mode, Keyring.Key key, String rawSessionId, byte[] iv, String aad)
            throws GeneralSecurityException {
        byte[] k = key.tokenKeyFor(rawSessionId.getBytes(StandardCharsets.US_ASCII));
        Cipher cipher = Cipher.getInstance(AES_GCM, GCM.provider());
        cipher.init(mode, new SecretKeySpec(k, "AES"), new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    /**
     * A transformation's provider as chosen at class load, or why there is none. A JVM without AES-GCM then
     * fails each seal and open with an {@link IllegalStateException} that says so - as the look-up on every
     * call did - rather than failing the class's initialisation ({@link ExceptionInInitializerError}, then
     * {@link NoClassDefFoundError} on every later use, neither naming the cause).
     */
    record Chosen(String transformation, Provider found, GeneralSecurityException missing) {
        static Chosen of(String transformation) {
            try {
                return new Chosen(transformation, Cipher.getInstance(transformation).getProvider(), null);
            } catch (GeneralSecurityException e) {
                return new Chosen(transformation, null, e);
            }
        }

        Provider provider() {
            if (found == null) {
                throw new IllegalStateException(transformation + " is unavailable in this JVM", missing);
            }
            return found;
        }
    }

    /** Ciphertext (IV first) and the id of the key that sealed it. */
    public record Sealed(String keyId, byte[] ciphertext) {
    }
}
