package app.signin.oidc;

import java.time.Instant;

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

    /** Who the token says is calling, or a {@code SignInException} with the reason it is refused. */
    public Identity authenticate(String token, Instant now) {
        Identity identity = provider.verifyBearer(token, now);
        policy.check(identity);
        return identity;
    }
}
