package app.signin.oidc;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import app.signin.snapstart.SnapStartPriming;

/**
 * SnapStart priming of the ID token check: a token signed with a throwaway key and checked by a verifier
 * holding only that key. In its own class so that loading {@link Provider} loads no JOSE signing classes
 * unless priming runs. The key pair's generator draws from its own source, never the application's.
 */
final class IdTokenPriming {
    private IdTokenPriming() {
    }

    /** Makes the key and the token (once), checks the token, and returns that check, to repeat. */
    static Runnable run(URI issuer, String clientId) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate())
                    .keyID("snapstart-priming").build();
            Instant now = Instant.now();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    new JWTClaimsSet.Builder().issuer(issuer.toString()).audience(clientId).claim("azp", clientId)
                            .subject(SnapStartPriming.PRIMING_KEY).claim("email", "priming@priming.invalid")
                            .claim("email_verified", true).claim("nonce", SnapStartPriming.PRIMING_NONCE)
                            .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).build());
            jwt.sign(new RSASSASigner(key));
            String token = jwt.serialize();
            IdTokenVerifier verifier = new IdTokenVerifier(issuer, clientId, new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK())));
            Runnable check = () -> verifier.verify(token, SnapStartPriming.PRIMING_NONCE, now);
            check.run();
            return check;
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
