package app.signin.oidc;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the provider may take, and how long its keys are trusted without asking again. Production
 * values come from {@code App}; tests pass shorter ones so a hanging provider costs a second, not four.
 *
 * @param connectTimeout how long to wait for a TCP/TLS connection to the provider
 * @param callTimeout    the whole call - connect, send, every read - to discovery, JWKS or the token
 *                       endpoint; a provider that trickles bytes cannot stretch it
 * @param revokeTimeout  the whole revocation call at logout, which is best effort and must stay short
 * @param jwksCacheTtl   how long fetched keys are used before the JWKS is fetched again
 */
public record ProviderSettings(Duration connectTimeout, Duration callTimeout, Duration revokeTimeout,
        Duration jwksCacheTtl) {

    public ProviderSettings {
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(callTimeout, "callTimeout");
        requirePositive(revokeTimeout, "revokeTimeout");
        requirePositive(jwksCacheTtl, "jwksCacheTtl");
    }

    public ProviderSettings withJwksCacheTtl(Duration d) {
        return new ProviderSettings(connectTimeout, callTimeout, revokeTimeout, d);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be a positive number of milliseconds");
        }
    }
}
