package app.signin.conformance.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;

/**
 * What must be accepted, and how the provider's keys are fetched: tokens shaped unusually but validly, key
 * rotation, a flood of unknown key ids, and the JWKS endpoint failing before and after a first fetch.
 */
class SigningKeyTest extends ProviderHarness {
    static final RSAKey KEY = IdTokens.rsaKey("google-key-1");
    static final RSAKey ROTATED = IdTokens.rsaKey("google-key-2");
    /** Some tokens below name made-up key ids; all are signed by this key, which is never published. */
    static final RSAKey UNPUBLISHED = IdTokens.rsaKey("never-published");

    @Override
    JWK signingKey() {
        return KEY;
    }

    @Test
    void callback_withAudienceAsOneElementArray_isAccepted() {
        Attempt a = startLogin();
        String token = a.token().claim("aud", List.of(HostileProvider.CLIENT_ID)).compact();
        assertThat(new String(Base64URL.from(IdTokens.parts(token).get(1)).decode(), StandardCharsets.UTF_8))
                .as("aud is serialized as an array").contains("\"aud\":[\"" + HostileProvider.CLIENT_ID + "\"]");
        assertSignedIn(a, loginWith(a, token));
    }

    @Test
    void callback_withoutKid_andASingleKeyPublished_isAccepted() {
        Attempt a = startLogin();
        assertSignedIn(a, loginWith(a, a.token().withoutHeader("kid").compact()));
    }

    @Test
    void callback_withKeyRotatedSinceTheLastFetch_refetchesOnce_andIsAccepted() {
        Attempt first = startLogin();
        assertSignedIn(first, loginWith(first, first.token().compact()));
        assertThat(provider.requests(HostileProvider.JWKS)).isEqualTo(1);

        provider.publish(ROTATED); // the old key is gone, the new one was never fetched
        Attempt second = startLogin();
        String token = second.token().signedWith(ROTATED).header("kid", ROTATED.getKeyID()).compact();
        assertSignedIn(second, loginWith(second, token));
        assertThat(provider.requests(HostileProvider.JWKS)).isEqualTo(2);
    }

    @Test
    void callback_withFiftyUnknownKids_causesAtMostTwoJwksFetches_andGenuineTokensStillPass() {
        for (int i = 0; i < 50; i++) {
            Attempt a = startLogin();
            String token = a.token().signedWith(UNPUBLISHED).header("kid", "made-up-" + i).compact();
            assertRejected(a, loginWith(a, token), 401, "id_token_invalid");
        }
        // One fetch to fill the cache, one spare refetch for a rotation; the other 49 made no request.
        assertThat(provider.requests(HostileProvider.JWKS)).isLessThanOrEqualTo(2);

        Attempt genuine = startLogin();
        assertSignedIn(genuine, loginWith(genuine, genuine.token().compact()));
        assertThat(provider.requests(HostileProvider.JWKS)).isLessThanOrEqualTo(2);
    }

    @Test
    void callback_whenJwksBecomesUnreachableAfterAFetch_stillAcceptsWithTheCachedKeys() throws InterruptedException {
        // A short cache lifetime, so the second login really tries to refetch and meets the outage.
        Duration ttl = Duration.ofMillis(300);
        app = newApp(FAST.withJwksCacheTtl(ttl));
        Attempt first = startLogin();
        assertSignedIn(first, loginWith(first, first.token().compact()));

        provider.on(HostileProvider.JWKS, HostileProvider.Reply.html(500, "<h1>Internal Server Error</h1>"));
        Thread.sleep(ttl.toMillis() + 100);

        Attempt second = startLogin();
        assertSignedIn(second, loginWith(second, second.token().compact()));
        assertThat(provider.requests(HostileProvider.JWKS)).as("the refetch was tried and failed").isEqualTo(2);
    }

    @Test
    void callback_whenNoKeysWereEverFetched_failsClosedWith503_andRecoversWhenTheJwksReturns() {
        provider.on(HostileProvider.JWKS, HostileProvider.Reply.html(503, "<h1>Service Unavailable</h1>"));
        Attempt a = startLogin();
        assertRejected(a, loginWith(a, a.token().compact()), 503, "provider_unavailable");

        provider.behave();
        Attempt b = startLogin();
        assertSignedIn(b, loginWith(b, b.token().compact()));
    }

    @Test
    void callback_withUnusableEntriesBesideTheKey_skipsThem_andAccepts() {
        // RFC 7517 section 5: an entry that cannot be used is ignored, not fatal to the whole set.
        String good = KEY.toPublicJWK().toJSONString();
        String tooSmall = IdTokens.rsaKey("small-key", 1024).toPublicJWK().toJSONString();
        provider.on(HostileProvider.JWKS, HostileProvider.Reply.json(200, "{\"keys\":["
                + "{\"kty\":\"RSA\",\"kid\":\"missing-modulus\",\"e\":\"AQAB\"},"
                + "{\"kty\":\"EC\",\"kid\":\"bad-curve\",\"crv\":\"P-999\",\"x\":\"AA\",\"y\":\"AA\"},"
                + "{\"kty\":\"future-kty\",\"kid\":\"unknown\"},"
                + "{\"kty\":\"oct\",\"kid\":\"symmetric\",\"k\":\"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0\"},"
                + tooSmall + ",\"not an object\",42,null,[]," + good + "]}"));
        Attempt a = startLogin();
        assertSignedIn(a, loginWith(a, a.token().compact()));
    }

    @Test
    void callback_signedWithAKeyBelow2048Bits_isRejected_evenWhenItIsPublished() {
        RSAKey small = IdTokens.rsaKey("small-key", 1024);
        provider.publish(KEY, small);
        Attempt a = startLogin();
        assertRejected(a, loginWith(a, a.token().signedWith(small).header("kid", small.getKeyID()).compact()), 401,
                "id_token_invalid");
        assertThat(log()).contains("no matching key");
    }

    @Test
    void callback_whenJwksIsGarbage_failsClosedWith503() {
        provider.on(HostileProvider.JWKS, HostileProvider.Reply.json(200,
                "{\"keys\":" + IdTokens.nestedArrays(3_000) + "}"));
        Attempt a = startLogin();
        assertRejected(a, loginWith(a, a.token().compact()), 503, "provider_unavailable");
    }

    @Test
    void callback_whenJwksHangs_failsClosedWithinTheCallBudget() {
        provider.on(HostileProvider.JWKS, HostileProvider.Reply.hang());
        Attempt a = startLogin();
        long started = System.nanoTime();
        APIGatewayV2HTTPResponse r = loginWith(a, a.token().compact());
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        assertRejected(a, r, 503, "provider_unavailable");
        assertThat(elapsedMillis).isLessThan(2 * FAST.callTimeout().toMillis());
    }

    @Test
    void callback_whenJwksTricklesItsAnswer_failsClosedWithinTheCallBudget() {
        provider.on(HostileProvider.JWKS, HostileProvider.Reply.drip("application/json",
                new JWKSet(KEY.toPublicJWK()).toString(), Duration.ofMillis(50)));
        Attempt a = startLogin();
        long started = System.nanoTime();
        APIGatewayV2HTTPResponse r = loginWith(a, a.token().compact());
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        assertRejected(a, r, 503, "provider_unavailable");
        assertThat(elapsedMillis).isLessThan(2 * FAST.callTimeout().toMillis());
    }

    @Test
    void callback_whenJwksIsOversized_failsClosedWith503() {
        provider.on(HostileProvider.JWKS, HostileProvider.Reply.json(200,
                "{\"keys\":[],\"padding\":\"" + "x".repeat(1024 * 1024) + "\"}"));
        Attempt a = startLogin();
        assertRejected(a, loginWith(a, a.token().compact()), 503, "provider_unavailable");
    }
}
