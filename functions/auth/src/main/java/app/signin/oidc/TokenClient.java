package app.signin.oidc;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import com.nimbusds.jose.util.JSONObjectUtils;

import app.signin.error.Failure;
import app.signin.error.SignInException;

/**
 * Talks to the provider's token and revocation endpoints through {@link ProviderHttp}: each call bounded in
 * time and size, never redirected, never retried.
 *
 * <p>An authorization code is single-use, so the exchange is sent exactly once whatever happens: a
 * timeout, a dropped connection or a garbled answer ends this login (the user starts again), it never
 * causes a second request carrying the same code.
 *
 * <p>How each answer maps to a failure, and why:
 * <ul>
 * <li>{@code 400 invalid_grant}: the code is expired or used - the user's attempt is stale, not the
 * provider broken ({@link Failure#CODE_REJECTED}, 400);</li>
 * <li>any other non-200, HTML, non-JSON, a body over {@link #MAX_RESPONSE_BYTES}, or JSON without an
 * {@code id_token} and bearer {@code access_token}: the upstream gave an unusable answer
 * ({@link Failure#TOKEN_EXCHANGE_FAILED}, 502);</li>
 * <li>no complete answer within the call timeout ({@link Failure#PROVIDER_TIMEOUT}, 504);</li>
 * <li>no connection, or the connection dropped ({@link Failure#PROVIDER_UNAVAILABLE}, 503).</li>
 * </ul>
 */
public final class TokenClient {
    /** Google's token responses are ~2-4 KB; a larger body is refused before it is fully read. */
    static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private final String clientId;
    private final Supplier<String> clientSecret;
    private final ProviderHttp http;
    private final Duration callTimeout;
    private final Duration revokeTimeout;

    public TokenClient(String clientId, Supplier<String> clientSecret, ProviderSettings settings) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.http = new ProviderHttp(settings.connectTimeout());
        this.callTimeout = settings.callTimeout();
        this.revokeTimeout = settings.revokeTimeout();
    }

    /**
     * Reads the client secret now (it is kept once read), so a Secrets Manager outage is found before the
     * caller spends anything single-use.
     */
    public void requireClientSecret() {
        clientSecret();
    }

    private String clientSecret() {
        try {
            return clientSecret.get();
        } catch (RuntimeException e) {
            throw new SignInException(Failure.SECRET_UNAVAILABLE,
                    "client secret unavailable: " + e.getClass().getSimpleName(), e);
        }
    }

    /** Exchanges an authorization code (RFC 6749 4.1.3 with the PKCE verifier of RFC 7636 4.5). */
    public ProviderTokens exchange(URI tokenEndpoint, String code, String codeVerifier, String redirectUri) {
        String secret = clientSecret();
        String form = "grant_type=authorization_code"
                + "&code=" + enc(code)
                + "&redirect_uri=" + enc(redirectUri)
                + "&code_verifier=" + enc(codeVerifier)
                + "&client_id=" + enc(clientId)
                + "&client_secret=" + enc(secret);
        Map<String, Object> json = post(tokenEndpoint, form, new Grant("token endpoint", Failure.PROVIDER_TIMEOUT,
                Failure.CODE_REJECTED));
        Object idToken = json.get("id_token");
        if (!(idToken instanceof String id) || id.isEmpty()) {
            throw new SignInException(Failure.TOKEN_EXCHANGE_FAILED, "token response has no id_token");
        }
        return tokens(id, json);
    }

    /**
     * Trades a refresh token for a new access token (RFC 6749 section 6). Unlike a code, a refresh token is
     * not spent by a failed call, so a timeout here is worth retrying: it is a 503, not the exchange's 504.
     * {@code invalid_grant} - revoked, expired (an app in Testing gets 7-day refresh tokens), or the user
     * removed the app - is {@link Failure#GOOGLE_AUTHORIZATION_ENDED}: only a new sign-in helps.
     */
    public ProviderTokens refresh(URI tokenEndpoint, String refreshToken) {
        String secret = clientSecret();
        String form = "grant_type=refresh_token"
                + "&refresh_token=" + enc(refreshToken)
                + "&client_id=" + enc(clientId)
                + "&client_secret=" + enc(secret);
        Map<String, Object> json = post(tokenEndpoint, form, new Grant("token endpoint (refresh)",
                Failure.PROVIDER_UNAVAILABLE, Failure.GOOGLE_AUTHORIZATION_ENDED));
        Object idToken = json.get("id_token");
        return tokens(idToken instanceof String id && !id.isEmpty() ? id : null, json);
    }

    /**
     * What differs between the grants: how the endpoint is named in the log, and what a timeout and an
     * {@code invalid_grant} mean for it.
     */
    private record Grant(String endpoint, Failure onTimeout, Failure onInvalidGrant) {
    }

    /**
     * Sends the form once and returns the 200 answer's JSON object. Every other outcome is thrown: a timeout
     * and {@code invalid_grant} as the grant says, unusable answers as {@link Failure#TOKEN_EXCHANGE_FAILED},
     * an unreachable endpoint as {@link Failure#PROVIDER_UNAVAILABLE}.
     */
    private Map<String, Object> post(URI tokenEndpoint, String form, Grant grant) {
        ProviderHttp.Response response;
        try {
            response = http.postForm(tokenEndpoint, form, MAX_RESPONSE_BYTES, callTimeout);
        } catch (SocketTimeoutException e) {
            throw new SignInException(grant.onTimeout(), grant.endpoint() + ": " + e.getMessage());
        } catch (ProviderHttp.ResponseTooLargeException e) {
            throw new SignInException(Failure.TOKEN_EXCHANGE_FAILED, "token response refused: " + e.getMessage());
        } catch (IOException e) {
            throw new SignInException(Failure.PROVIDER_UNAVAILABLE,
                    "token endpoint unreachable: " + e.getClass().getSimpleName());
        }
        Map<String, Object> json = parseJson(response);
        if (response.status() != 200) {
            Object error = json == null ? null : json.get("error");
            if (response.status() == 400 && "invalid_grant".equals(error)) {
                throw new SignInException(grant.onInvalidGrant(), grant.endpoint() + " said invalid_grant");
            }
            throw new SignInException(Failure.TOKEN_EXCHANGE_FAILED, "token endpoint answered " + response.status()
                    + (error instanceof String s ? " " + sanitize(s) : ""));
        }
        if (json == null) {
            throw new SignInException(Failure.TOKEN_EXCHANGE_FAILED, "token response is not a JSON object");
        }
        return json;
    }

    /**
     * The tokens of a 200 answer. Each token must be VSCHARs (RFC 6749 appendix A), so no line break or
     * control character can reach the sealed format or a header; {@code expires_in} is kept only when it
     * is a positive number.
     */
    private static ProviderTokens tokens(String idToken, Map<String, Object> json) {
        Object accessToken = json.get("access_token");
        Object tokenType = json.get("token_type");
        if (!(accessToken instanceof String access) || !isVsChars(access)
                || !(tokenType instanceof String type) || !type.equalsIgnoreCase("Bearer")) {
            throw new SignInException(Failure.TOKEN_EXCHANGE_FAILED, "token response has no bearer access_token");
        }
        Object refresh = json.get("refresh_token");
        if ("".equals(refresh)) {
            refresh = null;
        }
        if (refresh != null && !(refresh instanceof String r && isVsChars(r))) {
            throw new SignInException(Failure.TOKEN_EXCHANGE_FAILED, "token response has an unusable refresh_token");
        }
        Object scope = json.get("scope");
        Duration expiresIn = json.get("expires_in") instanceof Number n && n.longValue() > 0
                ? Duration.ofSeconds(n.longValue()) : null;
        return new ProviderTokens(idToken, access, (String) refresh, expiresIn,
                scope instanceof String s && isVsChars(s) ? s : null);
    }

    /** Non-empty and only characters 0x20-0x7E. */
    private static boolean isVsChars(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /** Revokes a token (RFC 7009), best effort: failures are reported, never thrown. */
    public boolean revoke(URI revocationEndpoint, String token) {
        if (revocationEndpoint == null || token == null || token.isEmpty()) {
            return false;
        }
        try {
            // Google's revocation endpoint needs no client authentication (and a client secret that
            // cannot be read must not stop a logout), so only the token is sent.
            return http.postForm(revocationEndpoint, "token=" + enc(token), MAX_RESPONSE_BYTES, revokeTimeout)
                    .status() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** The body as a JSON object, or null when it is not declared as JSON or does not parse as an object. */
    private static Map<String, Object> parseJson(ProviderHttp.Response response) {
        if (!response.isJson()) {
            return null;
        }
        try {
            // Nimbus's parser bounds nesting depth, so a deeply nested body is a ParseException, not a
            // StackOverflowError.
            return JSONObjectUtils.parse(response.text());
        } catch (java.text.ParseException e) {
            return null;
        }
    }

    /** Provider-supplied text for the log: short, printable ASCII only. */
    private static String sanitize(String s) {
        String cleaned = s.replaceAll("[^A-Za-z0-9_.-]", "?");
        return cleaned.length() > 40 ? cleaned.substring(0, 40) : cleaned;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
