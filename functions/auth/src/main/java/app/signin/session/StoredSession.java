package app.signin.session;

import java.time.Instant;

/**
 * A session as the store holds it: keyed by the hash of the session id, with the Google tokens sealed
 * under a key only the raw id (in the cookie) and the server secret together can rebuild. It keeps what the
 * access policy decides on ({@code email}, {@code emailVerified}, the {@code hd} claim as
 * {@code hostedDomain}), because the policy is applied again on every read. {@code device} is the short
 * description of the browser that logged in ({@link DeviceDescription}), or null.
 */
public record StoredSession(
        String idHash,
        String sub,
        String email,
        boolean emailVerified,
        String hostedDomain,
        String name,
        String picture,
        Instant createdAt,
        Instant lastSeenAt,
        Instant expiresAt,
        String tokenKeyId,
        byte[] sealedTokens,
        String device) {

    /** A session without a device description (none was recorded at its login). */
    public StoredSession(String idHash, String sub, String email, boolean emailVerified, String hostedDomain,
            String name, String picture, Instant createdAt, Instant lastSeenAt, Instant expiresAt, String tokenKeyId,
            byte[] sealedTokens) {
        this(idHash, sub, email, emailVerified, hostedDomain, name, picture, createdAt, lastSeenAt, expiresAt,
                tokenKeyId, sealedTokens, null);
    }

    /** Expiry is checked in code on every read: DynamoDB's TTL deletes late, sometimes days late. */
    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    public StoredSession withTokens(String newTokenKeyId, byte[] newSealedTokens) {
        return new StoredSession(idHash, sub, email, emailVerified, hostedDomain, name, picture, createdAt, lastSeenAt,
                expiresAt, newTokenKeyId, newSealedTokens, device);
    }

    public StoredSession touched(Instant lastSeen, Instant newExpiry) {
        return new StoredSession(idHash, sub, email, emailVerified, hostedDomain, name, picture, createdAt, lastSeen,
                newExpiry, tokenKeyId, sealedTokens, device);
    }
}
