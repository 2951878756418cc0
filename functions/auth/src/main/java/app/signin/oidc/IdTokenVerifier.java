package app.signin.oidc;

import java.net.URI;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import app.signin.error.Failure;
import app.signin.error.SignInException;

/**
 * Validates Google ID tokens, for both ways one reaches us: from the token endpoint at the callback (bound
 * to the login by its {@code nonce}) and as a bearer token on an API call (no login to bind to, so the
 * audience rules do that work). One implementation, so every defence of the callback also holds for the
 * API.
 *
 * <p>Nimbus verifies the signature (RS256 only, a key from the provider's JWKS, {@code typ} JWT or absent);
 * the claims are checked here, each against the step of OpenID Connect Core 3.1.3.7 or RFC 7519 that
 * requires it ({@code iss} in one of the forms {@link TokenIssuer} accepts), at the instant the caller passes in (time is a parameter, as in Spring Security's
 * {@code OidcIdTokenValidator}). Nimbus's own ID-token claims verifier takes one client id and reads the
 * wall clock; the bearer rules need a set of audiences and both need {@code nbf}.
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
    /** The one leeway for every time claim, either way: clocks drift, but not by minutes. */
    static final int MAX_CLOCK_SKEW_SECONDS = 60;

    /** The accepted {@code iss} forms ({@link TokenIssuer}: two for Google, the configured one otherwise). */
    private final List<String> issuers;
    private final String clientId;
    private final Set<String> bearerAudiences;
    private final DefaultJWTProcessor<SecurityContext> processor;

    public IdTokenVerifier(URI issuer, String clientId, Set<String> bearerAudiences, URI jwksUri,
            ProviderSettings settings) {
        this(issuer, clientId, bearerAudiences, new JwksKeySource(jwksUri, settings));
    }

    /** Bearer tokens accepted for this client alone. */
    public IdTokenVerifier(URI issuer, String clientId, JWKSource<SecurityContext> keys) {
        this(issuer, clientId, Set.of(clientId), keys);
    }

    /**
     * @param clientId        the client the callback's tokens must be minted for, alone
     * @param bearerAudiences the OAuth clients (this site's, an Android app's, an iOS app's...) whose ID
     *                        tokens may call the API ({@code ALLOWED_AUDIENCES})
     */
    public IdTokenVerifier(URI issuer, String clientId, Set<String> bearerAudiences, JWKSource<SecurityContext> keys) {
        this.issuers = TokenIssuer.idTokenForms(issuer);
        this.clientId = clientId;
        this.bearerAudiences = Set.copyOf(bearerAudiences);
        // Built once: the processor holds no per-token state, so one instance serves every thread.
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        // Nimbus's default claims verifier would check exp/nbf against the wall clock; ours runs after.
        p.setJWTClaimsSetVerifier(null);
        this.processor = p;
    }

    /** The callback's token: minted for this client alone, for the nonce this login sent. */
    public Identity verify(String idToken, String expectedNonce, Instant now) {
        return verify(idToken, expectedNonce, now, true);
    }

    /**
     * A token presented as {@code Authorization: Bearer}: no login to bind it to, so no nonce; instead its
     * audience must include one of the allowed clients and its {@code azp}, when present, be one of them.
     */
    public Identity verifyBearer(String idToken, Instant now) {
        return verify(idToken, null, now, false);
    }

    private Identity verify(String idToken, String expectedNonce, Instant now, boolean callback) {
        SignedJWT jwt = parse(idToken);
        try {
            JWTClaimsSet claims = process(jwt);
            Map<String, Object> raw = jwt.getPayload().toJSONObject();
            checkIssuerAudienceAndTime(claims, now, callback);
            if (callback) {
                checkNonce(claims, expectedNonce);
            }
            return identity(claims, raw);
        } catch (SignInException e) {
            throw e;
        } catch (ParseException | RuntimeException e) {
            // A claim of the wrong type, or whatever else the token made the parser do: the token is the
            // problem, a 401, never a 500.
            throw new SignInException(Failure.ID_TOKEN_INVALID, "malformed claims: " + e.getClass().getSimpleName());
        }
    }

    private JWTClaimsSet process(SignedJWT jwt) {
        try {
            return processor.process(jwt, null);
        } catch (KeySourceException e) {
            throw new SignInException(Failure.PROVIDER_UNAVAILABLE, "provider keys unavailable", e);
        } catch (BadJOSEException | JOSEException e) {
            throw new SignInException(Failure.ID_TOKEN_INVALID, "rejected: " + shorten(e.getMessage()));
        }
    }

    /** OpenID Connect Core 3.1.3.7 steps 2-4 and 9-10, and RFC 7519 4.1.5 ({@code nbf}). */
    private void checkIssuerAudienceAndTime(JWTClaimsSet claims, Instant now, boolean callback)
            throws ParseException {
        // Step 2: the issuer, exactly (in one of the forms the issuer is documented to use).
        String iss = claims.getIssuer();
        if (iss == null) {
            throw invalid("Missing JWT issuer (iss) claim");
        }
        if (!issuers.contains(iss)) {
            throw invalid("Unexpected JWT issuer: " + shorten(iss));
        }
        // Step 3: the audience.
        List<String> audience = claims.getAudience();
        if (audience == null || audience.isEmpty()) {
            throw invalid("Missing JWT audience (aud) claim");
        }
        // Step 4 and 5: the authorized party, when present, is a client we trust.
        String azp = claims.getStringClaim("azp");
        if (callback) {
            if (!audience.contains(clientId)) {
                throw invalid("Unexpected JWT audience");
            }
            // Stricter than the spec: minted for us and someone else is a token the other party could
            // replay to us, or we to them.
            if (audience.size() != 1) {
                throw invalid("audience is not exactly this client");
            }
            if (azp != null && !clientId.equals(azp)) {
                throw invalid("azp is not this client");
            }
        } else {
            // An app's token has the web client as aud and the app's own client as azp (Google's
            // "server client id" pattern): both must be ours. Stricter than "aud contains one of them", as
            // at the callback: a token also minted for a client we do not know could be replayed by it.
            if (audience.stream().noneMatch(bearerAudiences::contains)) {
                throw invalid("Unexpected JWT audience: no allowed audience");
            }
            if (!bearerAudiences.containsAll(audience)) {
                throw invalid("audience includes a client that is not allowed");
            }
            if (azp != null && !bearerAudiences.contains(azp)) {
                throw invalid("azp is not an allowed audience");
            }
        }
        // Step 9: not expired.
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw invalid("Missing JWT expiration (exp) claim");
        }
        if (now.isAfter(exp.toInstant().plusSeconds(MAX_CLOCK_SKEW_SECONDS))) {
            throw invalid("Expired JWT");
        }
        // Step 10: issued, and not in the future.
        Date iat = claims.getIssueTime();
        if (iat == null) {
            throw invalid("Missing JWT issue time (iat) claim");
        }
        if (iat.toInstant().isAfter(now.plusSeconds(MAX_CLOCK_SKEW_SECONDS))) {
            throw invalid("JWT issue time ahead of current time");
        }
        // RFC 7519 4.1.5: not to be accepted before this time.
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plusSeconds(MAX_CLOCK_SKEW_SECONDS))) {
            throw invalid("JWT before use time (nbf)");
        }
    }

    /** Step 11: the nonce this login sent, so a token minted for another login cannot be replayed into it. */
    private static void checkNonce(JWTClaimsSet claims, String expectedNonce) throws ParseException {
        String nonce = claims.getStringClaim("nonce");
        if (nonce == null) {
            throw invalid("Missing JWT nonce (nonce) claim");
        }
        if (!nonce.equals(expectedNonce)) {
            // Never the value: it could be the nonce of a login still in progress.
            throw invalid("Unexpected JWT nonce (nonce) claim");
        }
    }

    private static SignInException invalid(String why) {
        return new SignInException(Failure.ID_TOKEN_INVALID, "rejected: " + why);
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
     * Who signed in, from claims whose signature and basics are verified. {@code raw} is the payload as
     * sent, for the checks where Nimbus's claim types are too forgiving.
     */
    private static Identity identity(JWTClaimsSet claims, Map<String, Object> raw) {
        // The user's identity, so it must be exactly what the provider sent: a JSON string (OpenID Connect
        // Core 2). Nimbus turns a numeric sub into a string, and a large number loses digits on the way -
        // two accounts could collapse into one. Read raw.
        Object subClaim = raw.get("sub");
        if (subClaim == null) {
            throw invalid("Missing JWT subject (sub) claim");
        }
        if (!(subClaim instanceof String sub) || sub.isBlank() || sub.length() > ClaimText.MAX_SUB) {
            throw invalid("sub is not a non-blank string of at most " + ClaimText.MAX_SUB);
        }
        // OpenID Connect Core 5.1: a JSON boolean. The string "true" is a malformed claim, not a yes.
        Object verified = claims.getClaim("email_verified");
        String email = ClaimText.string(raw, "email");
        if (!Boolean.TRUE.equals(verified) || email == null || email.isEmpty()) {
            throw new SignInException(Failure.EMAIL_NOT_VERIFIED, "email_verified is not true");
        }
        String name = ClaimText.string(raw, "name");
        String picture = ClaimText.string(raw, "picture");
        String hd = ClaimText.string(raw, "hd");
        // What is stored and shown must be text a store accepts and a page can show: refused here, as a
        // bad token, rather than failing later as a store error.
        ClaimText.require("sub", sub, ClaimText.MAX_SUB);
        ClaimText.require("email", email, ClaimText.MAX_EMAIL);
        ClaimText.require("name", name, ClaimText.MAX_NAME);
        ClaimText.require("picture", picture, ClaimText.MAX_URL);
        ClaimText.require("hd", hd, ClaimText.MAX_DOMAIN);
        return new Identity(sub, email, name, picture, hd);
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
