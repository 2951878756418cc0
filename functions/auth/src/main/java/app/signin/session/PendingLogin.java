package app.signin.session;

import java.time.Instant;

/**
 * A login that was started and not yet finished: what the callback needs to finish it. Stored under the
 * hash of its {@code state}, so the table never holds a usable state value.
 */
public record PendingLogin(String stateHash, String nonce, String codeVerifier, String returnTo, Instant expiresAt) {
    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /**
     * Never the verifier or the nonce: with the verifier, whoever also sees the code (the browser's URL) could
     * redeem it. The state hash names the item and is no secret.
     */
    @Override
    public String toString() {
        return "PendingLogin[" + stateHash + ", expires " + expiresAt + "]";
    }
}
