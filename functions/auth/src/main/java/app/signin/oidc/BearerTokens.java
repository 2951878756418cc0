package app.signin.oidc;

import java.time.Instant;

import app.signin.error.Failure;
import app.signin.error.SignInException;

/**
 * API access with a Google ID token as the bearer token: the token validated exactly as at the callback
 * ({@link IdTokenVerifier#verifyBearer}, the same keys and cache), then the same {@link AccessPolicy}. No
 * store is involved: the token itself is the credential, valid until its {@code exp} (Google's last an
 * hour), so nothing here can be revoked early - the price of no DynamoDB call on this path.
 */
public final class BearerTokens {
    private final Provider provider;
    private final AccessPolicy policy;

    public BearerTokens(Provider provider, AccessPolicy policy) {
        this.provider = provider;
        this.policy = policy;
    }

    /**
     * Who the token says is calling. Every refusal that is the token's (or its account's) is
     * {@link Failure#INVALID_TOKEN} - RFC 6750's one answer for a token that cannot be used - with the
     * specific check kept for the log and a short description for the client; a provider that cannot be
     * asked for its keys stays {@link Failure#PROVIDER_UNAVAILABLE} (503, worth retrying).
     */
    public Identity authenticate(String token, Instant now) {
        try {
            Identity identity = provider.verifyBearer(token, now);
            policy.check(identity);
            return identity;
        } catch (SignInException e) {
            if (e.failure().status() >= 500) {
                throw e;
            }
            throw new SignInException(Failure.INVALID_TOKEN, e.getMessage(), description(e), null);
        }
    }

    /** Our own words for what was wrong: which check, never a value from the token. */
    private static String description(SignInException e) {
        String detail = String.valueOf(e.getMessage());
        return switch (e.failure()) {
            case EMAIL_NOT_VERIFIED -> "The account's e-mail address is not verified";
            case ACCESS_DENIED -> "This account is not allowed to use this API";
            default -> detail.contains("Expired JWT") ? "The ID token has expired"
                    : detail.contains("audience") || detail.contains("azp") ? "The ID token was issued for another client"
                    : "The token is not a valid Google ID token for this API";
        };
    }
}
