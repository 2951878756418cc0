package app.signin.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import app.signin.crypto.TokenCipher;
import app.signin.oidc.ProviderTokens;

/**
 * The Google tokens a session holds, sealed in its item: the access token and when it expires, the refresh
 * token (only with {@code GOOGLE_OFFLINE_ACCESS}, and only when Google gave one) and the scope Google
 * granted. Never logged: {@link #toString()} redacts it.
 *
 * <p>The sealed plaintext is line-based. Today's format starts with the line {@value #FORMAT}, then one line
 * each for the access token, its expiry (epoch seconds, empty if unknown), the refresh token and the scope
 * (empty if absent). The first format - {@code access token \n refresh token}, still in the items of a
 * deployed table - is read as well: it cannot start with {@value #FORMAT}, because a token is made of
 * VSCHARs and was never {@value #FORMAT} alone. Its expiry is unknown, which counts as expired: the next use
 * refreshes it (or, without a refresh token, asks for a new sign-in). Line breaks cannot occur inside a
 * field: the token client accepts only VSCHARs (RFC 6749 appendix A).
 */
public record SessionTokens(String accessToken, Instant accessTokenExpiresAt, String refreshToken, String scope) {
    static final String FORMAT = "#2";

    /** What a code exchange returned, received at {@code now}. */
    public static SessionTokens of(ProviderTokens tokens, Instant now) {
        return new SessionTokens(tokens.accessToken(), expiry(tokens, now), tokens.refreshToken(), tokens.scope());
    }

    /**
     * After a refresh: the new access token and expiry; the refresh token and scope kept when Google sends
     * none (it usually sends no refresh token, and the old one stays valid).
     */
    public SessionTokens refreshed(ProviderTokens tokens, Instant now) {
        return new SessionTokens(tokens.accessToken(), expiry(tokens, now),
                tokens.refreshToken() != null ? tokens.refreshToken() : refreshToken,
                tokens.scope() != null ? tokens.scope() : scope);
    }

    /** The same tokens with {@code kept} as the refresh token: one a code exchange did not send again. */
    public SessionTokens withRefreshToken(String kept) {
        return new SessionTokens(accessToken, accessTokenExpiresAt, kept, scope);
    }

    /** The same tokens with the access token expiring at {@code now}: one Google refused before its expiry. */
    public SessionTokens expiredAt(Instant now) {
        return new SessionTokens(accessToken, now, refreshToken, scope);
    }

    public boolean hasRefreshToken() {
        return refreshToken != null && !refreshToken.isEmpty();
    }

    /** Whether the access token is still good at {@code now + skew}; an unknown expiry is not good. */
    public boolean isFreshAt(Instant now, Duration skew) {
        return accessToken != null && accessTokenExpiresAt != null && now.plus(skew).isBefore(accessTokenExpiresAt);
    }

    /** The token worth revoking at logout: the refresh token if there is one, else the access token. */
    public String revocable() {
        return hasRefreshToken() ? refreshToken : accessToken;
    }

    /** Sealed for the session {@code rawId} (its hash is the associated data, as for every session item). */
    public TokenCipher.Sealed seal(TokenCipher cipher, String rawId, String idHash) {
        return cipher.seal(serialize(), rawId, idHash);
    }

    /** The tokens of a stored session, if they open (they do not once their key was retired). */
    public static Optional<SessionTokens> open(TokenCipher cipher, String rawId, StoredSession session) {
        return cipher.open(new TokenCipher.Sealed(session.tokenKeyId(), session.sealedTokens()), rawId,
                session.idHash()).map(SessionTokens::parse);
    }

    String serialize() {
        return FORMAT + "\n" + orEmpty(accessToken)
                + "\n" + (accessTokenExpiresAt == null ? "" : Long.toString(accessTokenExpiresAt.getEpochSecond()))
                + "\n" + orEmpty(refreshToken) + "\n" + orEmpty(scope);
    }

    static SessionTokens parse(String plain) {
        String[] lines = plain.split("\n", -1);
        if (lines.length == 5 && lines[0].equals(FORMAT)) {
            Instant expiry = null;
            try {
                expiry = lines[2].isEmpty() ? null : Instant.ofEpochSecond(Long.parseLong(lines[2]));
            } catch (NumberFormatException e) {
                // Unknown expiry: treated as expired, the safe reading.
            }
            return new SessionTokens(emptyToNull(lines[1]), expiry, emptyToNull(lines[3]), emptyToNull(lines[4]));
        }
        // The first format: "<access token>\n<refresh token>", either possibly empty.
        int nl = plain.indexOf('\n');
        String access = nl < 0 ? plain : plain.substring(0, nl);
        String refresh = nl < 0 ? "" : plain.substring(nl + 1);
        return new SessionTokens(emptyToNull(access), null, emptyToNull(refresh), null);
    }

    @Override
    public String toString() {
        return "SessionTokens[redacted]";
    }

    private static Instant expiry(ProviderTokens tokens, Instant now) {
        return tokens.expiresIn() == null ? null : now.plus(tokens.expiresIn());
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
