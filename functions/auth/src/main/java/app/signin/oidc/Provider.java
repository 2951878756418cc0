package app.signin.oidc;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import app.signin.concurrent.Lazy;
import app.signin.net.Loopback;
import app.signin.snapstart.SnapStartPriming;

/**
 * The identity provider as the handlers see it: its metadata (discovered once), the token exchange and
 * refresh, ID token verification against its keys, token revocation, and the userinfo endpoint.
 */
public final class Provider {
    private final ProviderDiscovery discovery;
    private final TokenClient tokens;
    private final UserinfoClient userinfo;
    private final String clientId;
    private final Set<String> bearerAudiences;
    private final Consumer<Duration> exchangeTimer;
    /** Built once the metadata is known (it names the issuer and the JWKS); a failed discovery is retried. */
    private final Lazy<IdTokenVerifier> verifier;

    /**
     * {@code exchangeTimer} receives the duration of every token exchange, failed ones included;
     * {@code bearerAudiences} are the clients whose ID tokens may call the API as bearer tokens.
     */
    public Provider(ProviderDiscovery discovery, TokenClient tokens, String clientId, Set<String> bearerAudiences,
            ProviderSettings settings, Consumer<Duration> exchangeTimer) {
        this.exchangeTimer = exchangeTimer;
        this.discovery = discovery;
        this.tokens = tokens;
        this.userinfo = new UserinfoClient(settings);
        this.clientId = clientId;
        this.bearerAudiences = Set.copyOf(bearerAudiences);
        this.verifier = Lazy.of(() -> {
            ProviderMetadata m = discovery.metadata();
            return new IdTokenVerifier(m.issuer(), clientId, this.bearerAudiences, m.jwksUri(), settings);
        });
    }

    /** The provider for an issuer, every call bounded by {@code settings}, each exchange's duration reported. */
    public static Provider of(URI issuer, String clientId, Set<String> bearerAudiences, Supplier<String> clientSecret,
            ProviderSettings settings, Consumer<Duration> exchangeTimer) {
        return new Provider(new ProviderDiscovery(issuer, settings), new TokenClient(clientId, clientSecret, settings),
                clientId, bearerAudiences, settings, exchangeTimer);
    }

    /**
     * The provider as a user knows it, for pages: "Google" for Google's issuer; on loopback the local runner's
     * stand-in (or a test's provider), which a developer knows by that name; otherwise the issuer's host.
     */
    public static String displayName(URI issuer) {
        if ("https://accounts.google.com".equals(issuer.toString())) {
            return "Google";
        }
        return Loopback.isLoopback(issuer) ? "the local stand-in for Google" : issuer.getHost();
    }

    public ProviderMetadata metadata() {
        return discovery.metadata();
    }

    /**
     * Everything the code exchange needs that can be had without spending the code: the discovery document
     * and the client secret. Throws the 503 for whichever is unavailable.
     */
    public void requireReadyForExchange() {
        metadata();
        tokens.requireClientSecret();
    }

    /** SnapStart priming: the discovery document (fetched once per container anyway), and the HTTP client with it. */
    public void prime(SnapStartPriming priming) {
        priming.step("provider discovery", this::metadata);
    }

    /**
     * SnapStart priming: an RS256 ID token made and checked on the spot with a throwaway key, by a verifier
     * holding only that key - the real verifier and its JWKS cache are not touched - then repeated, to warm
     * the JIT.
     */
    public void primeIdTokens(SnapStartPriming priming) {
        priming.step("ID token check", () -> priming.warm("ID token check", SnapStartPriming.JIT_ROUNDS,
                IdTokenPriming.run(discovery.issuer(), clientId)));
    }

    public String clientId() {
        return clientId;
    }

    public ProviderTokens exchange(String code, String codeVerifier, String redirectUri) {
        URI endpoint = metadata().tokenEndpoint();
        long started = System.nanoTime();
        try {
            return tokens.exchange(endpoint, code, codeVerifier, redirectUri);
        } finally {
            exchangeTimer.accept(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** A new access token for a refresh token; see {@link TokenClient#refresh} for what each failure means. */
    public ProviderTokens refresh(String refreshToken) {
        return tokens.refresh(metadata().tokenEndpoint(), refreshToken);
    }

    /** The userinfo claims of the user {@code sub}, fetched with their access token, as a flat JSON object. */
    public String userinfoJson(String accessToken, String sub) {
        return UserinfoClient.flatJson(userinfo.claims(metadata().userinfoEndpoint(), accessToken, sub));
    }

    /** The callback's ID token, bound to the login by its nonce. */
    public Identity verify(String idToken, String nonce, Instant now) {
        return verifier.get().verify(idToken, nonce, now);
    }

    /** An ID token presented as a bearer token: the same checks, the audience rules instead of a nonce. */
    public Identity verifyBearer(String idToken, Instant now) {
        return verifier.get().verifyBearer(idToken, now);
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
}
