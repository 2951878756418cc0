package app.signin.oidc;

import java.net.URI;

/**
 * The identity provider as the handlers see it: its metadata (discovered once), the token exchange, ID
 * token verification against its keys, and token revocation.
 */
public final class Provider {
    private final ProviderDiscovery discovery;
    private final TokenClient tokens;
    private final String clientId;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private volatile IdTokenVerifier verifier;

    public Provider(ProviderDiscovery discovery, TokenClient tokens, String clientId, int connectTimeoutMillis,
            int readTimeoutMillis) {
        this.discovery = discovery;
        this.tokens = tokens;
        this.clientId = clientId;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    public ProviderMetadata metadata() {
        return discovery.metadata();
    }

    public String clientId() {
        return clientId;
    }

    public ProviderTokens exchange(String code, String codeVerifier, String redirectUri) {
        return tokens.exchange(metadata().tokenEndpoint(), code, codeVerifier, redirectUri);
    }

    public Identity verify(String idToken, String nonce) {
        return verifier().verify(idToken, nonce);
    }

    /** Best effort; returns whether the provider confirmed the revocation. */
    public boolean revoke(String token) {
        URI endpoint;
        try {
            endpoint = metadata().revocationEndpoint();
        } catch (RuntimeException e) {
            return false;
        }
        return tokens.revoke(endpoint, token);
    }

    private IdTokenVerifier verifier() {
        IdTokenVerifier v = verifier;
        if (v == null) {
            synchronized (this) {
                v = verifier;
                if (v == null) {
                    ProviderMetadata m = metadata();
                    v = new IdTokenVerifier(m.issuer(), clientId, m.jwksUri(), connectTimeoutMillis, readTimeoutMillis);
                    verifier = v;
                }
            }
        }
        return v;
    }
}
