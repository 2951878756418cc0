package app.signin.oidc;

import java.net.URI;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;

import app.signin.error.Failure;
import app.signin.error.SignInException;

/**
 * Validates ID tokens with Nimbus: RS256 only, signature against the provider's JWKS, and {@code iss} (one
 * of the forms {@link TokenIssuer} accepts), {@code aud}, {@code azp}, {@code exp}, {@code iat},
 * {@code nonce}; then the checks Nimbus leaves to the relying party: a single audience, a verified e-mail,
 * a subject.
 *
 * <p>Keys come from {@link JwksKeySource}: cached; an unknown {@code kid} triggers one refetch, rate-limited
 * so a flood of made-up key ids cannot become a flood of fetches. If the provider's JWKS endpoint is down,
 * cached keys keep working; with no keys at all, verification fails closed (503).
 *
 * <p>Cheap structural checks run before anything is parsed or fetched: length, the three-part compact
 * shape (a five-part JWE is refused without reading its header, so no PBES2 iteration count or
 * compressed payload is ever processed), the algorithm, and header parameters that would name a key.
 */
public final class IdTokenVerifier {
    /** Google's ID tokens are ~1-2 KB; anything far larger is refused before it is parsed. */
    public static final int MAX_TOKEN_LENGTH = 8 * 1024;
    static final int MAX_CLOCK_SKEW_SECONDS = 60;

    private final String clientId;
    /** One Nimbus validator per accepted iss form (two for Google, one otherwise), sharing one key source. */
    private final Map<String, IDTokenValidator> validatorsByIss;
    /** For tokens whose iss is no accepted form: Nimbus then refuses it with its own message. */
    private final IDTokenValidator configured;

    public IdTokenVerifier(URI issuer, String clientId, URI jwksUri, ProviderSettings settings) {
        this(issuer, clientId, new JwksKeySource(jwksUri, settings));
    }

    public IdTokenVerifier(URI issuer, String clientId, JWKSource<SecurityContext> keys) {
        this.clientId = clientId;
        JWSVerificationKeySelector<SecurityContext> selector = new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys);
        Map<String, IDTokenValidator> byIss = new LinkedHashMap<>();
        for (String iss : TokenIssuer.idTokenForms(issuer)) {
            IDTokenValidator validator = new IDTokenValidator(new Issuer(iss), new ClientID(clientId), selector, null);
            validator.setMaxClockSkew(MAX_CLOCK_SKEW_SECONDS);
            byIss.put(iss, validator);
        }
        this.validatorsByIss = Map.copyOf(byIss);
        this.configured = byIss.get(issuer.toString());
    }

    /** Verifies the token for the nonce this login sent, or throws a {@link SignInException}. */
    public Identity verify(String idToken, String expectedNonce) {
        SignedJWT jwt = parse(idToken);
        try {
            return identity(validate(jwt, expectedNonce), jwt.getPayload().toJSONObject());
        } catch (SignInException e) {
            throw e;
        } catch (RuntimeException e) {
            // Nimbus checks some claims by throwing unchecked exceptions (an empty "sub" is an
            // IllegalArgumentException from its Subject type). Whatever the token made the parser do, the
            // token is the problem: a 401, never a 500.
            throw new SignInException(Failure.ID_TOKEN_INVALID, "malformed claims: " + e.getClass().getSimpleName());
        }
    }

    private IDTokenClaimsSet validate(SignedJWT jwt, String expectedNonce) {
        try {
            return validatorFor(jwt).validate(jwt, new Nonce(expectedNonce));
        } catch (KeySourceException e) {
            throw new SignInException(Failure.PROVIDER_UNAVAILABLE, "provider keys unavailable", e);
        } catch (BadJOSEException | JOSEException e) {
            throw new SignInException(Failure.ID_TOKEN_INVALID, "rejected: " + shorten(e.getMessage()));
        }
    }

    /**
     * The validator expecting this token's iss if that is an accepted form (Nimbus then checks it again, with
     * everything else); otherwise the configured issuer's, which refuses the token as Nimbus always has.
     */
    private IDTokenValidator validatorFor(SignedJWT jwt) {
        Object iss;
        try {
            iss = jwt.getJWTClaimsSet().getClaim("iss");
        } catch (ParseException e) {
            return configured;
        }
        return iss instanceof String s ? validatorsByIss.getOrDefault(s, configured) : configured;
    }

    /**
     * Nimbus's messages name the failed check and quote the claim value ("Unexpected JWT nonce (nonce)
     * claim: <value>"). The check is what an operator needs; values that could be a nonce, a token fragment
     * or a URL are masked, and the whole is bounded.
     */
    static String shorten(String message) {
        String m = String.valueOf(message)
                .replaceAll("https?://\\S+", "<url>")
                .replaceAll("[A-Za-z0-9_.~+/=-]{16,}", "<redacted>")
                .replaceAll("[^\\x20-\\x7e]", "?");
        return m.length() > 120 ? m.substring(0, 120) + "..." : m;
    }

    /**
     * The checks Nimbus leaves to the relying party, on claims whose signature and basics it verified.
     * {@code raw} is the payload as sent, for the checks where Nimbus's claim types are too forgiving.
     */
    private Identity identity(IDTokenClaimsSet claims, Map<String, Object> raw) {
        List<com.nimbusds.oauth2.sdk.id.Audience> audience = claims.getAudience();
        // Nimbus accepts any audience list that contains us; we accept only tokens minted for us alone.
        if (audience.size() != 1 || !clientId.equals(audience.getFirst().getValue())) {
            throw new SignInException(Failure.ID_TOKEN_INVALID, "audience is not exactly this client");
        }
        if (claims.getAuthorizedParty() != null && !clientId.equals(claims.getAuthorizedParty().getValue())) {
            throw new SignInException(Failure.ID_TOKEN_INVALID, "azp is not this client");
        }
        // The user's identity, so it must be exactly what the provider sent: a JSON string (OpenID Connect
        // Core 2). Nimbus turns a numeric sub into a string, and a large number loses digits on the way -
        // two accounts could collapse into one. Read raw; Nimbus's Subject type also refuses a blank value
        // with an unchecked exception.
        if (!(raw.get("sub") instanceof String sub) || sub.isBlank() || sub.length() > 255) {
            throw new SignInException(Failure.ID_TOKEN_INVALID, "sub is not a non-blank string of at most 255");
        }
        // OpenID Connect Core 5.1: a JSON boolean. The string "true" is a malformed claim, not a yes.
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
        } catch (ParseException | RuntimeException e) {
            // Unchecked too: whatever the parser makes of the provider's bytes, it is the token that is bad.
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
