package app.signin.oidc;

import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;

import app.signin.error.Failure;
import app.signin.error.SignInException;

/**
 * Validates ID tokens with Nimbus: RS256 only, signature against the provider's JWKS, and {@code iss},
 * {@code aud}, {@code azp}, {@code exp}, {@code iat}, {@code nonce}; then the checks Nimbus leaves to the
 * relying party: a single audience, a verified e-mail, a subject.
 *
 * <p>The JWKS is cached; an unknown {@code kid} triggers one refetch, rate-limited so a flood of made-up
 * key ids cannot become a flood of fetches. If the provider's JWKS endpoint is down, cached keys keep
 * working; with no keys at all, verification fails closed (503).
 */
public final class IdTokenVerifier {
    /** Google's ID tokens are ~1-2 KB; anything far larger is refused before it is parsed. */
    static final int MAX_TOKEN_LENGTH = 8 * 1024;
    static final long JWKS_CACHE_TTL_MILLIS = 60 * 60 * 1000L;
    static final long JWKS_REFRESH_TIMEOUT_MILLIS = 2_500;
    static final long JWKS_MIN_REFETCH_INTERVAL_MILLIS = 30_000;
    static final long JWKS_OUTAGE_TOLERANCE_MILLIS = 24 * 60 * 60 * 1000L;
    static final int MAX_CLOCK_SKEW_SECONDS = 60;

    private final String clientId;
    private final IDTokenValidator validator;

    public IdTokenVerifier(URI issuer, String clientId, URI jwksUri, int connectTimeoutMillis, int readTimeoutMillis) {
        this(issuer, clientId, jwkSource(jwksUri, connectTimeoutMillis, readTimeoutMillis));
    }

    public IdTokenVerifier(URI issuer, String clientId, JWKSource<SecurityContext> keys) {
        this.clientId = clientId;
        this.validator = new IDTokenValidator(new Issuer(issuer.toString()), new ClientID(clientId),
                new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys), null);
        this.validator.setMaxClockSkew(MAX_CLOCK_SKEW_SECONDS);
    }

    static JWKSource<SecurityContext> jwkSource(URI jwksUri, int connectTimeoutMillis, int readTimeoutMillis) {
        try {
            return JWKSourceBuilder.<SecurityContext>create(jwksUri.toURL(),
                            new DefaultResourceRetriever(connectTimeoutMillis, readTimeoutMillis, 64 * 1024))
                    .cache(JWKS_CACHE_TTL_MILLIS, JWKS_REFRESH_TIMEOUT_MILLIS)
                    .refreshAheadCache(false)
                    .rateLimited(JWKS_MIN_REFETCH_INTERVAL_MILLIS)
                    .outageTolerant(JWKS_OUTAGE_TOLERANCE_MILLIS)
                    .retrying(false)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("jwks_uri is not a URL", e);
        }
    }

    /** Verifies the token for the nonce this login sent, or throws a {@link SignInException}. */
    public Identity verify(String idToken, String expectedNonce) {
        SignedJWT jwt = parse(idToken);
        IDTokenClaimsSet claims;
        try {
            claims = validator.validate(jwt, new Nonce(expectedNonce));
        } catch (KeySourceException e) {
            throw new SignInException(Failure.PROVIDER_UNAVAILABLE, "provider keys unavailable", e);
        } catch (BadJOSEException | JOSEException e) {
            throw new SignInException(Failure.ID_TOKEN_INVALID, "rejected: " + e.getMessage());
        }
        List<com.nimbusds.oauth2.sdk.id.Audience> audience = claims.getAudience();
        // Nimbus accepts any audience list that contains us; we accept only tokens minted for us alone.
        if (audience.size() != 1 || !clientId.equals(audience.getFirst().getValue())) {
            throw new SignInException(Failure.ID_TOKEN_INVALID, "audience is not exactly this client");
        }
        if (claims.getAuthorizedParty() != null && !clientId.equals(claims.getAuthorizedParty().getValue())) {
            throw new SignInException(Failure.ID_TOKEN_INVALID, "azp is not this client");
        }
        String sub = claims.getSubject() == null ? null : claims.getSubject().getValue();
        if (sub == null || sub.isEmpty() || sub.length() > 255) {
            throw new SignInException(Failure.ID_TOKEN_INVALID, "sub is missing or too long");
        }
        Object verified = claims.getClaim("email_verified");
        String email = claims.getStringClaim("email");
        if (!Boolean.TRUE.equals(verified) || email == null || email.isEmpty()) {
            throw new SignInException(Failure.EMAIL_NOT_VERIFIED, "email_verified is not true");
        }
        return new Identity(sub, email, claims.getStringClaim("name"), claims.getStringClaim("picture"),
                claims.getStringClaim("hd"));
    }

    private static SignedJWT parse(String idToken) {
        if (idToken.length() > MAX_TOKEN_LENGTH) {
            throw new SignInException(Failure.ID_TOKEN_INVALID, "token longer than " + MAX_TOKEN_LENGTH);
        }
        // A JWS has exactly three parts; a JWE has five and is never accepted (we register no encryption key).
        int dots = 0;
        for (int i = 0; i < idToken.length(); i++) {
            if (idToken.charAt(i) == '.') {
                dots++;
            }
        }
        if (dots != 2) {
            throw new SignInException(Failure.ID_TOKEN_INVALID, "not a compact JWS");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(idToken);
        } catch (ParseException e) {
            throw new SignInException(Failure.ID_TOKEN_INVALID, "unparseable token");
        }
        JWSHeader header = jwt.getHeader();
        if (!JWSAlgorithm.RS256.equals(header.getAlgorithm())) {
            throw new SignInException(Failure.ID_TOKEN_INVALID, "alg is not RS256");
        }
        // Keys come only from the provider's JWKS: a token naming its own key is an attack, not a hint.
        if (header.getJWK() != null || header.getJWKURL() != null || header.getX509CertURL() != null
                || header.getX509CertChain() != null) {
            throw new SignInException(Failure.ID_TOKEN_INVALID, "header carries its own key reference");
        }
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            throw new SignInException(Failure.ID_TOKEN_INVALID, "unsupported crit header");
        }
        return jwt;
    }
}
