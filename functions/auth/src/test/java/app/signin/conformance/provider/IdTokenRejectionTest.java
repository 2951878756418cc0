package app.signin.conformance.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;

import app.signin.oidc.IdTokenVerifier;

/**
 * ID tokens a hostile or broken provider might mint, each of which must be refused - at both places a token
 * reaches the one verifier. At the {@link EntryPoint#CALLBACK callback} the case runs the real login and
 * callback handlers, the provider returning the spoiled token from a real token endpoint, and must end with
 * a clear page and no session; as a {@link EntryPoint#BEARER bearer token} on {@code GET /api/me} it runs
 * API Gateway's authorizer step over the real authorizer and function, and must end with RFC 6750's 401
 * and no store call. The provider serves its keys from a real JWKS either way. The nonce, which only a
 * login has, is {@link CallbackNonceTest}'s.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(ProviderHarness.EntryPoint.class)
class IdTokenRejectionTest extends ProviderHarness {
    static final RSAKey KEY = IdTokens.rsaKey("google-key-1");
    static final ECKey EC_KEY = IdTokens.ecKey("google-ec-1");
    static final RSAKey ATTACKER = IdTokens.rsaKey("attacker-key");
    /** What the log says when a token's header names a key of its own (jwk, jku, x5u, x5c). */
    static final String OWN_KEY = "header carries its own key reference";

    @Parameter
    EntryPoint entry;

    @Override
    JWK signingKey() {
        return KEY;
    }

    @Override
    EntryPoint entryPoint() {
        return entry;
    }


    @Test
    void idToken_withTheUnspoiledToken_signsIn() {
        // The control case: the same harness and token shape, nothing spoiled, is accepted.
        Attempt a = start();
        assertSignedIn(a, loginWith(a, a.token().compact()));
        assertCodeSentOnce(a);
    }

    @Test
    void idToken_withBadSignatureUnderThePublishedKid_isRejected() {
        Attempt a = start();
        // Signed by the attacker's key, but naming the provider's published kid.
        rejectsAsInvalid(a, a.token().signedWith(ATTACKER).header("kid", KEY.getKeyID()), "Invalid signature");
    }

    @Test
    void idToken_withSignatureOfAnotherTokenSpliced_isRejected() {
        Attempt a = start();
        String genuine = a.token().compact();
        String other = a.token().claim("email", "mallory@example.com").compact();
        List<String> g = IdTokens.parts(genuine);
        List<String> o = IdTokens.parts(other);
        rejects(a, g.get(0) + "." + o.get(1) + "." + g.get(2), 401, "id_token_invalid");
        assertThat(log()).contains("Invalid signature");
    }

    @Test
    void idToken_withAlgNone_isRejected() {
        Attempt a = start();
        rejectsAsInvalid(a, a.token().header("alg", "none").withoutHeader("kid"), "unparseable token");
    }

    @Test
    void idToken_withAlgNoneSpelledInMixedCase_isRejected() {
        Attempt a = start();
        rejectsAsInvalid(a, a.token().header("alg", "nOnE"), "unparseable token");
    }

    @Test
    void idToken_withHs256KeyedWithTheClientSecret_isRejected() {
        // The alg-confusion attack: anyone who knows (or guesses) the client secret could mint this.
        Attempt a = start();
        rejectsAsInvalid(a, a.token().header("alg", "HS256").macWith(HostileProvider.CLIENT_SECRET),
                "alg is not RS256");
    }

    static Stream<Arguments> algorithmsOtherThanRs256() {
        return Stream.of(
                Arguments.of("ES256", EC_KEY),
                Arguments.of("PS256", KEY),
                Arguments.of("RS384", KEY),
                Arguments.of("RS512", KEY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithmsOtherThanRs256")
    void idToken_withAnyAlgorithmButRs256_isRejected_evenWhenTheSignatureVerifiesUnderAPublishedKey(String alg,
            JWK key) {
        provider.publish(KEY, EC_KEY);
        Attempt a = start();
        rejectsAsInvalid(a, a.token().header("alg", alg).header("kid", key.getKeyID()).signedWith(key),
                "alg is not RS256");
    }

    @Test
    void idToken_withWrongIssuer_isRejected() {
        Attempt a = start();
        rejectsAsInvalid(a, a.token().claim("iss", "https://accounts.google.com.evil.example"),
                "Unexpected JWT issuer");
    }

    @Test
    void idToken_withoutIssuer_isRejected() {
        Attempt a = start();
        rejectsAsInvalid(a, a.token().without("iss"), "Missing JWT issuer");
    }

    @Test
    void idToken_withWrongAudience_isRejected() {
        Attempt a = start();
        rejectsAsInvalid(a, a.token().claim("aud", "other-client.apps.googleusercontent.com")
                .claim("azp", "other-client.apps.googleusercontent.com"), "Unexpected JWT audience");
    }

    @Test
    void idToken_withoutAudience_isRejected() {
        Attempt a = start();
        rejectsAsInvalid(a, a.token().without("aud"), "Missing JWT audience");
    }

    @Test
    void idToken_withAnExtraUntrustedAudience_isRejected() {
        // Minted for us and someone else: a token the other party could replay to us, or we to them.
        Attempt a = start();
        rejectsAsInvalid(a, a.token().claim("aud", List.of(HostileProvider.CLIENT_ID, "untrusted.example")),
                entry == EntryPoint.CALLBACK ? "audience is not exactly this client"
                        : "audience includes a client that is not allowed");
    }

    @Test
    void idToken_withWrongAzp_isRejected() {
        Attempt a = start();
        rejectsAsInvalid(a, a.token().claim("azp", "other-client.apps.googleusercontent.com"),
                entry == EntryPoint.CALLBACK ? "azp is not this client" : "azp is not an allowed audience");
    }

    @Test
    void idToken_withExpiredToken_isRejected() {
        Attempt a = start();
        long now = Instant.now().getEpochSecond();
        // Past the 60 s clock-skew allowance.
        rejectsAsInvalid(a, a.token().claim("iat", now - 3700).claim("exp", now - 100), "Expired JWT");
    }

    @Test
    void idToken_withoutExp_isRejected() {
        Attempt a = start();
        rejectsAsInvalid(a, a.token().without("exp"), "Missing JWT expiration");
    }

    @Test
    void idToken_withoutIat_isRejected() {
        Attempt a = start();
        rejectsAsInvalid(a, a.token().without("iat"), "Missing JWT issue time");
    }

    @Test
    void idToken_withIatInTheFuture_isRejected() {
        Attempt a = start();
        long now = Instant.now().getEpochSecond();
        rejectsAsInvalid(a, a.token().claim("iat", now + 600).claim("exp", now + 4200),
                "issue time ahead of current time");
    }

    @Test
    void idToken_withNotBeforeInTheFuture_isRejected() {
        Attempt a = start();
        long now = Instant.now().getEpochSecond();
        rejectsAsInvalid(a, a.token().claim("nbf", now + 600), "JWT before use time");
    }

    @Test
    void idToken_withNotBeforeWithinTheClockSkew_isAccepted() {
        // The same 60 s leeway as exp and iat: a provider whose clock runs a little ahead is not refused.
        Attempt a = start();
        long now = Instant.now().getEpochSecond();
        assertSignedIn(a, loginWith(a, a.token().claim("nbf", now + 30).compact()));
    }

    @Test
    void idToken_withExpiryJustWithinTheClockSkew_isAccepted() {
        Attempt a = start();
        long now = Instant.now().getEpochSecond();
        assertSignedIn(a, loginWith(a, a.token().claim("iat", now - 3630).claim("exp", now - 30).compact()));
    }

    static Stream<Arguments> unstorableClaimText() {
        return Stream.of(
                Arguments.of("name", "\"Alice\\ud800\"", "claim name is not well-formed text"),
                Arguments.of("name", "\"\\udc00Alice\"", "claim name is not well-formed text"),
                Arguments.of("name", "\"Alice\\u0000Example\"", "claim name is not well-formed text"),
                Arguments.of("email", "\"alice\\udfff@example.com\"", "claim email is not well-formed text"),
                Arguments.of("hd", "\"example.com\\uffff\"", "claim hd is not well-formed text"),
                Arguments.of("sub", "\"1101\\ud83d\"", "claim sub is not well-formed text"),
                Arguments.of("name", "\"" + "A".repeat(600) + "\"", "claim name longer than 512"),
                Arguments.of("picture", "\"https://lh3.example/" + "p".repeat(2100) + "\"", "claim picture longer than"),
                Arguments.of("email", "\"" + "a".repeat(320) + "@example.com\"", "claim email longer than 320"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("unstorableClaimText")
    void idToken_withClaimTextThatCannotBeStoredOrShown_isRejectedAsAnInvalidToken(String claim, String json,
            String because) {
        // Signed and otherwise valid: refused before anything is stored, as a bad token - never a store error.
        Attempt a = start();
        rejectsAsInvalid(a, a.token().rawClaim(claim, json), because);
    }

    @Test
    void idToken_withUnicodeNameThatIsWellFormed_isAccepted() {
        // Astral characters (a surrogate pair) and accents are text like any other.
        Attempt a = start();
        assertSignedIn(a, loginWith(a, a.token().rawClaim("name", "\"Zo\\u00eb \\ud83d\\ude00\"").compact()));
    }

    @Test
    void idToken_withoutSub_isRejected() {
        Attempt a = start();
        rejectsAsInvalid(a, a.token().without("sub"), "Missing JWT subject");
    }

    @Test
    void idToken_withEmptySub_isRejected() {
        Attempt a = start();
        rejectsAsInvalid(a, a.token().claim("sub", ""), "sub is not a non-blank string");
    }

    @Test
    void idToken_withNumericSub_isRejected() {
        // As a JSON number, 110169484474386276334 becomes 1.1016948447438628E20: another user's id, perhaps.
        Attempt a = start();
        rejectsAsInvalid(a, a.token().claim("sub", new BigInteger("110169484474386276334")),
                "sub is not a non-blank string");
    }

    @Test
    void idToken_withEmailVerifiedFalse_isRefused() {
        Attempt a = start();
        rejects(a, a.token().claim("email_verified", false).compact(), 403, "email_not_verified");
    }

    @Test
    void idToken_withoutEmailVerified_isRefused() {
        Attempt a = start();
        rejects(a, a.token().without("email_verified").compact(), 403, "email_not_verified");
    }

    @Test
    void idToken_withEmailVerifiedAsTheString_true_isRefused() {
        // OpenID Connect Core 5.1 defines email_verified as a JSON boolean, and Google's ID tokens carry a
        // boolean. A string is a malformed claim; reading it as "verified" would let a lax provider
        // (or a lax parser) vouch for an address nobody checked.
        Attempt a = start();
        rejects(a, a.token().claim("email_verified", "true").compact(), 403, "email_not_verified");
    }

    @Test
    void idToken_withJwkHeaderCarryingTheAttackersKey_isRejected() {
        Attempt a = start();
        rejectsAsInvalid(a, a.token().signedWith(ATTACKER).header("kid", ATTACKER.getKeyID())
                .header("jwk", ATTACKER.toPublicJWK().toJSONObject()), OWN_KEY);
    }

    @Test
    void idToken_withJkuHeaderPointingAtTheAttackersKeys_isRejected_andTheUrlIsNeverFetched() {
        provider.on(HostileProvider.ATTACKER_KEYS, HostileProvider.Reply.json(200,
                new JWKSet(ATTACKER.toPublicJWK()).toString()));
        Attempt a = start();
        rejectsAsInvalid(a, a.token().signedWith(ATTACKER).header("kid", ATTACKER.getKeyID())
                .header("jku", provider.url(HostileProvider.ATTACKER_KEYS).toString()), OWN_KEY);
        assertThat(provider.requests(HostileProvider.ATTACKER_KEYS)).isZero();
    }

    @Test
    void idToken_withX5uHeaderPointingAtTheAttackersCertificate_isRejected_andTheUrlIsNeverFetched() {
        Attempt a = start();
        rejectsAsInvalid(a, a.token().signedWith(ATTACKER).header("kid", ATTACKER.getKeyID())
                .header("x5u", provider.url(HostileProvider.ATTACKER_KEYS).toString()), OWN_KEY);
        assertThat(provider.requests(HostileProvider.ATTACKER_KEYS)).isZero();
    }

    @Test
    void idToken_withValidSignatureButAJkuHeader_isRejected() {
        // Even with the genuine key: a token that asks to be checked against other keys is not Google's.
        Attempt a = start();
        rejectsAsInvalid(a, a.token().header("jku", provider.url(HostileProvider.ATTACKER_KEYS).toString()), OWN_KEY);
        assertThat(provider.requests(HostileProvider.ATTACKER_KEYS)).isZero();
    }

    @Test
    void idToken_withUnknownCriticalHeader_isRejected() {
        Attempt a = start();
        rejectsAsInvalid(a, a.token().header("crit", List.of("urn:example:must-understand"))
                .header("urn:example:must-understand", true), "unsupported crit header");
    }

    @Test
    void idToken_withTypeOtherThanJwt_isRejected() {
        // An access token in JWT form (RFC 9068) is not an ID token, even from the right issuer.
        Attempt a = start();
        rejectsAsInvalid(a, a.token().header("typ", "at+jwt"), "at+jwt not allowed");
    }

    @Test
    void idToken_withUnknownKid_isRejected_afterExactlyOneRefetch() {
        RSAKey unpublished = IdTokens.rsaKey("unpublished-key");
        Attempt a = start();
        rejectsAsInvalid(a, a.token().signedWith(unpublished).header("kid", unpublished.getKeyID()), "no matching key");
        // One fetch to fill the cache, one refetch in case the key was rotated in: then the answer is no.
        assertThat(provider.requests(HostileProvider.JWKS)).isEqualTo(2);
    }

    @Test
    void idToken_withOversizedToken_isRefusedBeforeParsing() {
        Attempt a = start();
        String big = a.token().claim("padding", "x".repeat(IdTokenVerifier.MAX_TOKEN_LENGTH)).compact();
        rejects(a, big, 401, "id_token_invalid");
        assertThat(log()).contains("token longer than " + IdTokenVerifier.MAX_TOKEN_LENGTH);
        assertThat(provider.requests(HostileProvider.JWKS)).as("no key lookup for a refused token").isZero();
    }

    @Test
    void idToken_withDeeplyNestedClaims_isRejected_withoutCrashing() {
        // The nested-JSON denial of service (CVE-2025-53864 class): thousands of levels within the size limit.
        Attempt a = start();
        String claims = "{\"iss\":\"" + provider.issuer() + "\",\"sub\":\"1\",\"deep\":" + IdTokens.nestedArrays(2_500)
                + "}";
        String token = a.token().rawPayload(claims).compact();
        assertThat(token.length()).isLessThan(IdTokenVerifier.MAX_TOKEN_LENGTH);
        long started = System.nanoTime();
        rejects(a, token, 401, "id_token_invalid");
        assertThat((System.nanoTime() - started) / 1_000_000).as("ms").isLessThan(2_000);
        assertThat(log()).contains("not a valid JSON object");
    }

    @Test
    void idToken_withDeeplyNestedHeader_isRejected_withoutCrashing() {
        Attempt a = start();
        String token = a.token().rawHeader("{\"alg\":\"RS256\",\"kid\":\"google-key-1\",\"x\":"
                + IdTokens.nestedArrays(2_500) + "}").compact();
        rejects(a, token, 401, "id_token_invalid");
        assertThat(log()).contains("unparseable token");
    }

    @Test
    void idToken_withJwe_isRejectedWithoutDecrypting() {
        // A five-part JWE whose header asks for PBES2 with a huge iteration count (CVE-2023-52428 class):
        // refused on its shape, so no key derivation is ever attempted.
        Attempt a = start();
        String header = IdTokens.b64("{\"alg\":\"PBES2-HS512+A256KW\",\"enc\":\"A256GCM\",\"p2s\":\"c2FsdHNhbHRzYWx0\","
                + "\"p2c\":2147483647,\"cty\":\"JWT\"}");
        String jwe = header + ".ZW5jcnlwdGVka2V5.aXZpdml2aXZpdml2.Y2lwaGVydGV4dA.dGFndGFndGFndGFn";
        long started = System.nanoTime();
        rejects(a, jwe, 401, "id_token_invalid");
        assertThat((System.nanoTime() - started) / 1_000_000).as("ms").isLessThan(2_000);
        assertThat(log()).contains("not a compact JWS");
    }

    @Test
    void idToken_withClaimOfTheWrongType_isRejected() {
        Attempt a = start();
        rejectsAsInvalid(a, a.token().claim("exp", Map.of("value", Instant.now().getEpochSecond() + 3600)),
                "Unexpected type of JSON object member exp");
    }
}
