package app.signin.oidc;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.CachingJWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetParseException;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.OutageTolerantJWKSetSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.jwk.source.JWKSetUnavailableException;
import com.nimbusds.jose.jwk.source.RateLimitedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;

/**
 * The provider's signing keys, from its JWKS and nowhere else. Built from Nimbus's JWK set sources, layered
 * from the network outwards:
 * <ol>
 * <li>fetch over {@link ProviderHttp} - bounded in time and size, no redirects - and read as RFC 7517
 * section 5 asks: an entry that cannot be used (an unknown {@code kty}, a member missing, an RSA modulus
 * below {@link #MIN_RSA_BITS}) is skipped, so one odd key cannot take the provider's other keys down
 * with it; only a document that is not a JWK set at all is a failed fetch;</li>
 * <li>outage tolerant: if a refetch fails, the last good key set keeps serving for
 * {@link #OUTAGE_TOLERANCE}, so a JWKS outage does not log anybody out of the ability to log in;</li>
 * <li>rate limited: at most two fetches per {@link #MIN_REFETCH_INTERVAL} (one for the cache, one spare for
 * a key rotation), so tokens naming made-up key ids cannot turn into a flood of fetches;</li>
 * <li>cached for the configured TTL.</li>
 * </ol>
 *
 * <p>On top, the lookup a verifier makes: keys from the cache; if none matches the token's {@code kid}, one
 * refetch; if the rate limit refuses that refetch while we do hold keys, the {@code kid} is simply unknown
 * (the token is rejected as invalid, 401) - only when no key set was ever obtained is it the provider that
 * is unavailable (503, fail closed).
 */
final class JwksKeySource implements JWKSource<SecurityContext> {
    static final Duration MIN_REFETCH_INTERVAL = Duration.ofSeconds(30);
    static final Duration OUTAGE_TOLERANCE = Duration.ofHours(24);
    /** How long a request waits for another thread's refetch of the same cache before giving up. */
    static final Duration CACHE_REFRESH_WAIT = Duration.ofMillis(2_500);
    /** Google's JWKS is ~2 KB. */
    static final int MAX_JWKS_BYTES = 64 * 1024;
    /** Below this an RSA key is out of the range we verify with (RFC 7518 3.3 requires 2048 bits). */
    static final int MIN_RSA_BITS = 2048;

    private final JWKSetSource<SecurityContext> keySets;

    JwksKeySource(URI jwksUri, ProviderSettings settings) {
        URL url;
        try {
            url = jwksUri.toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("jwks_uri is not a URL", e);
        }
        ResourceRetriever retriever = retriever(settings);
        JWKSetSource<SecurityContext> source = new JWKSetSource<>() {
            @Override
            public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator evaluator, long now, SecurityContext context)
                    throws KeySourceException {
                Resource resource;
                try {
                    resource = retriever.retrieveResource(url);
                } catch (IOException e) {
                    throw new JWKSetUnavailableException("JWKS could not be fetched", e);
                }
                try {
                    return usableKeys(resource.getContent());
                } catch (ParseException | RuntimeException e) {
                    throw new JWKSetParseException("JWKS is not a JWK set", e);
                }
            }

            @Override
            public void close() {
            }
        };
        source = new OutageTolerantJWKSetSource<>(source, OUTAGE_TOLERANCE.toMillis(), null);
        source = new RateLimitedJWKSetSource<>(source, MIN_REFETCH_INTERVAL.toMillis(), null);
        this.keySets = new CachingJWKSetSource<>(source, settings.jwksCacheTtl().toMillis(),
                CACHE_REFRESH_WAIT.toMillis(), null);
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        long now = System.currentTimeMillis();
        // No key set at all (never fetched, provider down): this throws, and the caller fails closed.
        JWKSet cached = keySets.getJWKSet(JWKSetCacheRefreshEvaluator.noRefresh(), now, context);
        List<JWK> keys = selector.select(cached);
        if (!keys.isEmpty()) {
            return keys;
        }
        // The kid may belong to a key rotated in since the last fetch: ask once more, unless another
        // request already refreshed the cache in the meantime (the reference comparison).
        try {
            return selector.select(keySets.getJWKSet(JWKSetCacheRefreshEvaluator.referenceComparison(cached), now,
                    context));
        } catch (RateLimitReachedException e) {
            return List.of();
        }
    }

    /**
     * The usable keys of a JWK set document. Nimbus's {@code JWKSet.parse} skips only unknown key types;
     * a malformed entry of a known type would fail the whole set.
     */
    @SuppressWarnings("unchecked")
    static JWKSet usableKeys(String json) throws ParseException {
        Map<String, Object> document = JSONObjectUtils.parse(json);
        List<Object> entries = JSONObjectUtils.getJSONArray(document, "keys");
        if (entries == null) {
            throw new ParseException("no keys member", 0);
        }
        List<JWK> keys = new ArrayList<>();
        for (Object entry : entries) {
            if (!(entry instanceof Map<?, ?> member)) {
                continue;
            }
            try {
                JWK key = JWK.parse((Map<String, Object>) member);
                if (key instanceof RSAKey rsa && rsa.size() < MIN_RSA_BITS) {
                    continue;
                }
                // Only ever the public half: a JWKS that publishes a private key is broken, not a gift;
                // a symmetric key has none and is skipped.
                JWK publicKey = key.toPublicJWK();
                if (publicKey != null) {
                    keys.add(publicKey);
                }
            } catch (ParseException | RuntimeException e) {
                // RFC 7517 section 5: ignore what cannot be used.
            }
        }
        return new JWKSet(keys);
    }

    /** Nimbus's fetch interface over our bounded HTTP: anything but a 200 is a failed fetch. */
    private static ResourceRetriever retriever(ProviderSettings settings) {
        ProviderHttp http = new ProviderHttp(settings.connectTimeout());
        Duration callTimeout = settings.callTimeout();
        return url -> {
            ProviderHttp.Response response;
            try {
                response = http.get(url.toURI(), MAX_JWKS_BYTES, callTimeout);
            } catch (java.net.URISyntaxException e) {
                throw new IOException("jwks_uri is not a URI", e);
            }
            if (response.status() != 200) {
                throw new IOException("JWKS answered " + response.status());
            }
            return new Resource(new String(response.body(), StandardCharsets.UTF_8), response.contentType());
        };
    }
}
