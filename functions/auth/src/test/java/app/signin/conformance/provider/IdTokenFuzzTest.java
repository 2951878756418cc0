package app.signin.conformance.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;

import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.oidc.Identity;
import app.signin.oidc.IdTokenVerifier;

/**
 * Thousands of corrupted tokens straight into the verifier (no handlers: the handler tests cover the
 * mapping to pages; this covers the parser's edges). Whatever the bytes, the outcome is a verified
 * identity or a {@link SignInException} with a token failure - never another exception, which a handler
 * would turn into a 500. Deterministic: a fixed seed, a fixed count.
 */
class IdTokenFuzzTest {
    static final RSAKey KEY = IdTokens.rsaKey("google-key-1");
    static final String ISSUER = "https://accounts.google.com";
    static final String NONCE = "n-0S6_WzA2Mj";
    static final int CASES = 2_000;
    static final String[] CLAIMS = {"iss", "sub", "aud", "azp", "exp", "iat", "nbf", "nonce", "email", "email_verified",
        "name", "picture", "hd", "auth_time", "at_hash"};
    static final String[] HEADERS = {"kid", "typ", "crit", "cty", "b64"};
    static final Object[] ODD_VALUES = {"", " ", null, 0, -1, Long.MAX_VALUE, 1.5e300, true, "true",
        List.of(), List.of(""), List.of(1, 2), Map.of(),
        Map.of("a", List.of()), "x".repeat(300), "\u0000", "\ud800"};
    static final String ALPHABET = "AZaz09-_.=+/\"{}[]:,\\ \u0000\u00e9\u2028%";

    @Test
    void verify_withCorruptedTokens_onlyEverAcceptsOrRefusesAsInvalid() {
        IdTokenVerifier verifier = new IdTokenVerifier(URI.create(ISSUER), HostileProvider.CLIENT_ID,
                new ImmutableJWKSet<>(new JWKSet(KEY.toPublicJWK())));
        String genuine = IdTokens.valid(KEY, ISSUER, NONCE).compact();
        assertThat(verifier.verify(genuine, NONCE, Instant.now()).email()).isEqualTo("alice@example.com");

        Random random = new Random(20240611L);
        Set<Failure> allowed = Set.of(Failure.ID_TOKEN_INVALID, Failure.EMAIL_NOT_VERIFIED);
        int refused = 0;
        int accepted = 0;
        for (int i = 0; i < CASES; i++) {
            String token = corrupt(genuine, random);
            try {
                Identity identity = verifier.verify(token, NONCE, Instant.now());
                // Accepted: then who signed in is exactly the JSON string the provider signed - never a
                // number or other value converted into one.
                Map<String, Object> sent = JSONObjectUtils.parse(new String(
                        Base64URL.from(IdTokens.parts(token).get(1)).decode(), StandardCharsets.UTF_8));
                assertThat(sent.get("sub")).as("case %d: %s", i, token).isEqualTo(identity.sub());
                assertThat(sent.get("email")).as("case %d: %s", i, token).isEqualTo(identity.email());
                accepted++;
            } catch (SignInException e) {
                assertThat(e.failure()).as("case %d", i).isIn(allowed);
                refused++;
            } catch (ParseException e) {
                fail("case " + i + " was accepted but its payload is not JSON: " + token, e);
            } catch (RuntimeException | Error e) {
                fail("case " + i + " escaped as " + e.getClass().getName() + " for token " + token, e);
            }
        }
        assertThat(refused).isGreaterThan(CASES * 3 / 4);
        assertThat(accepted + refused).isEqualTo(CASES);
    }

    /**
     * A third of the cases are correctly signed tokens with one claim or header parameter set to a value of the
     * wrong type or shape - these get past the signature and exercise the claim checks; the others are
     * byte-level corruptions of a genuine token.
     */
    static String corrupt(String token, Random random) {
        if (random.nextInt(3) == 0) {
            Object value = ODD_VALUES[random.nextInt(ODD_VALUES.length)];
            IdTokens.Draft draft = IdTokens.valid(KEY, ISSUER, NONCE);
            if (random.nextInt(4) == 0) {
                draft.header(HEADERS[random.nextInt(HEADERS.length)], value);
            } else {
                draft.claim(CLAIMS[random.nextInt(CLAIMS.length)], value);
            }
            return draft.compact();
        }
        StringBuilder b = new StringBuilder(token);
        switch (random.nextInt(6)) {
            case 0 -> b.setCharAt(random.nextInt(b.length()), pick(random));
            case 1 -> b.insert(random.nextInt(b.length()), pick(random));
            case 2 -> b.setLength(random.nextInt(b.length()));
            case 3 -> {
                String[] parts = token.split("\\.", -1);
                parts[random.nextInt(3)] = IdTokens.b64(randomJson(random));
                return String.join(".", parts);
            }
            case 4 -> {
                for (int n = 1 + random.nextInt(8); n > 0; n--) {
                    b.setCharAt(random.nextInt(b.length()), pick(random));
                }
            }
            default -> b.delete(random.nextInt(b.length() / 2), b.length() / 2 + random.nextInt(b.length() / 2));
        }
        return b.toString();
    }

    static char pick(Random random) {
        return ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    }

    /** Short JSON-ish text: sometimes valid, mostly not, with the types a claim parser must refuse. */
    static String randomJson(Random random) {
        String[] pieces = {"{", "}", "[", "]", "\"alg\"", "\"RS256\"", "\"none\"", ":", ",", "null", "true", "1e999",
                "-0", "\"aud\"", "\"exp\"", "\"sub\"", "\"kid\"", "\"crit\"", "[\"exp\"]", "{\"kty\":\"RSA\"}", "\"\\u0000\""};
        StringBuilder b = new StringBuilder("{");
        for (int n = random.nextInt(12); n > 0; n--) {
            b.append(pieces[random.nextInt(pieces.length)]);
        }
        return b.append(random.nextBoolean() ? "}" : "").toString();
    }
}
