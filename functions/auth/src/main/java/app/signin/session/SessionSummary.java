package app.signin.session;

import java.time.Instant;

/**
 * One of a user's sessions as the per-user list shows it - read from the store's user index, which holds
 * only this much: no e-mail, no name, no tokens. {@code device} may be null (a session started before it
 * was recorded, or a login without a User-Agent).
 */
public record SessionSummary(String idHash, Instant createdAt, Instant lastSeenAt, Instant expiresAt, String device) {
}
