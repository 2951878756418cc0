package app.signin.conformance.provider;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.opts.AllowWeakRSAKey;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Mints ID tokens the way a provider would - or the way a hostile one might. Header and claims are plain
 * maps serialized as given (so a test can drop a claim, make {@code aud} an array, or add a {@code jku}),
 * and the signature is computed over exactly those bytes with a Nimbus signer.
 */
public final class IdTokens {
    private IdTokens() {
    }

    public static RSAKey rsaKey(String kid) {
        return rsaKey(kid, 2048);
    }

    public static RSAKey rsaKey(String kid, int bits) {
        try {
            return new RSAKeyGenerator(bits, bits < 2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ECKey ecKey(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token under construction: starts as a valid Google-shaped ID token signed RS256 by {@code key}. */
    public static final class Draft {
        private final Map<String, Object> header = new LinkedHashMap<>();
        private final Map<String, Object> claims = new LinkedHashMap<>();
        private JWK key;
        private String secret;
        private String rawPayload;
        private String rawHeader;
        private final Map<String, String> rawClaims = new LinkedHashMap<>();

        Draft(JWK key, String issuer, String nonce) {
            this.key = key;
            header.put("alg", "RS256");
            header.put("kid", key.getKeyID());
            header.put("typ", "JWT");
            long now = Instant.now().getEpochSecond();
            claims.put("iss", issuer);
            claims.put("azp", HostileProvider.CLIENT_ID);
            claims.put("aud", HostileProvider.CLIENT_ID);
            claims.put("sub", "110169484474386276334");
            claims.put("email", "alice@example.com");
            claims.put("email_verified", true);
            claims.put("at_hash", "HK6E_P6Dh8Y93mRNtsDB1Q");
            claims.put("nonce", nonce);
            claims.put("name", "Alice Example");
            claims.put("picture", "https://lh3.googleusercontent.com/a/test");
            claims.put("iat", now);
            claims.put("exp", now + 3600);
        }

        public Draft claim(String name, Object value) {
            claims.put(name, value);
            return this;
        }

        public Draft without(String claim) {
            claims.remove(claim);
            return this;
        }

        public Draft header(String name, Object value) {
            header.put(name, value);
            return this;
        }

        public Draft withoutHeader(String name) {
            header.remove(name);
            return this;
        }

        public Draft headers(Consumer<Map<String, Object>> change) {
            change.accept(header);
            return this;
        }

        /** Signs with this key (RSA or EC, whatever {@code alg} the header names). */
        public Draft signedWith(JWK signingKey) {
            this.key = signingKey;
            this.secret = null;
            return this;
        }

        /** Signs with HMAC under this secret (the header's {@code alg} should be HS*). */
        public Draft macWith(String sharedSecret) {
            this.secret = sharedSecret;
            this.key = null;
            return this;
        }

        /**
         * Sets a claim to this exact JSON text, for values a Java string cannot carry through a serializer
         * unchanged (a lone surrogate escape such as {@code "\\ud800"}).
         */
        public Draft rawClaim(String name, String json) {
            String placeholder = "raw-claim-" + rawClaims.size() + "-placeholder";
            claims.put(name, placeholder);
            rawClaims.put("\"" + placeholder + "\"", json);
            return this;
        }

        /** Replaces the serialized claims with this exact JSON (for malformed and nested payloads). */
        public Draft rawPayload(String json) {
            this.rawPayload = json;
            return this;
        }

        /** Replaces the serialized header with this exact JSON. */
        public Draft rawHeader(String json) {
            this.rawHeader = json;
            return this;
        }

        /** The compact serialization; {@code alg: none} gets an empty signature. */
        public String compact() {
            String h = rawHeader != null ? rawHeader : JSONObjectUtils.toJSONString(header);
            String p = rawPayload != null ? rawPayload : JSONObjectUtils.toJSONString(claims);
            for (Map.Entry<String, String> raw : rawClaims.entrySet()) {
                p = p.replace(raw.getKey(), raw.getValue());
            }
            String input = b64(h) + "." + b64(p);
            String alg = String.valueOf(header.get("alg"));
            if (alg.equalsIgnoreCase("none")) {
                return input + ".";
            }
            try {
                JWSHeader algOnly = new JWSHeader(JWSAlgorithm.parse(alg));
                Base64URL signature = signer().sign(algOnly, input.getBytes(StandardCharsets.US_ASCII));
                return input + "." + signature;
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        private JWSSigner signer() throws JOSEException {
            if (secret != null) {
                return new MACSigner(secret.getBytes(StandardCharsets.UTF_8));
            }
            if (key instanceof RSAKey rsa && rsa.size() < 2048) {
                // Nimbus refuses to sign with a weak key unless told to: a hostile provider would not care.
                return new RSASSASigner(rsa.toPrivateKey(), java.util.Set.of(AllowWeakRSAKey.getInstance()));
            }
            if (key instanceof RSAKey rsa) {
                return new RSASSASigner(rsa);
            }
            if (key instanceof ECKey ec) {
                return new ECDSASigner(ec);
            }
            throw new IllegalStateException("no signer for " + key);
        }
    }

    public static Draft valid(JWK key, String issuer, String nonce) {
        return new Draft(key, issuer, nonce);
    }

    static String b64(String json) {
        return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** {@code [[[...]]]} nested {@code depth} deep: the shape of the nested-JSON denial-of-service. */
    static String nestedArrays(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    static List<String> parts(String compact) {
        return List.of(compact.split("\\.", -1));
    }
}
