package app.signin.oidc;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import com.nimbusds.jose.util.JSONObjectUtils;

import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.json.Json;

/**
 * Calls the provider's userinfo endpoint (OpenID Connect Core 5.3) with a user's access token, bounded like
 * every provider call ({@link ProviderHttp}). The token goes in the {@code Authorization} header only -
 * never in the URL, where proxies and logs would keep it.
 *
 * <p>How each answer maps, and why: 401 means Google no longer accepts the token (revoked, or the user
 * removed the app) - only a new sign-in helps ({@link Failure#GOOGLE_AUTHORIZATION_ENDED}, 401;
 * {@code GoogleAccessTokens.call} marks the stored token expired, so the next call refreshes); any other
 * non-200, a body that is not a JSON object, or claims for another user ({@code sub} must match exactly,
 * Core 5.3.2 - the defence against a substituted token) is an unusable upstream answer
 * ({@link Failure#GOOGLE_API_FAILED}, 502); no answer in time or no connection is
 * {@link Failure#PROVIDER_UNAVAILABLE} (503: retrying may help).
 */
public final class UserinfoClient {
    /** Google's userinfo answers are well under 2 KB. */
    static final int MAX_RESPONSE_BYTES = 32 * 1024;

    private final ProviderHttp http;
    private final Duration callTimeout;

    public UserinfoClient(ProviderSettings settings) {
        this.http = new ProviderHttp(settings.connectTimeout());
        this.callTimeout = settings.callTimeout();
    }

    /** The claims about {@code expectedSub}, as the provider returned them. */
    public Map<String, Object> claims(URI userinfoEndpoint, String accessToken, String expectedSub) {
        if (userinfoEndpoint == null) {
            throw new SignInException(Failure.GOOGLE_API_FAILED, "discovery document has no userinfo_endpoint");
        }
        ProviderHttp.Response response;
        try {
            response = http.getWithBearer(userinfoEndpoint, accessToken, MAX_RESPONSE_BYTES, callTimeout);
        } catch (SocketTimeoutException e) {
            throw new SignInException(Failure.PROVIDER_UNAVAILABLE, "userinfo: " + e.getMessage());
        } catch (ProviderHttp.ResponseTooLargeException e) {
            throw new SignInException(Failure.GOOGLE_API_FAILED, "userinfo response refused: " + e.getMessage());
        } catch (IOException e) {
            throw new SignInException(Failure.PROVIDER_UNAVAILABLE,
                    "userinfo unreachable: " + e.getClass().getSimpleName());
        }
        if (response.status() == 401) {
            throw new SignInException(Failure.GOOGLE_AUTHORIZATION_ENDED, "userinfo answered 401");
        }
        if (response.status() != 200) {
            throw new SignInException(Failure.GOOGLE_API_FAILED, "userinfo answered " + response.status());
        }
        Map<String, Object> claims;
        try {
            claims = response.isJson() ? JSONObjectUtils.parse(response.text()) : null;
        } catch (java.text.ParseException e) {
            claims = null;
        }
        if (claims == null) {
            throw new SignInException(Failure.GOOGLE_API_FAILED, "userinfo response is not a JSON object");
        }
        if (!expectedSub.equals(claims.get("sub"))) {
            throw new SignInException(Failure.GOOGLE_API_FAILED, "userinfo sub does not match the session's");
        }
        return claims;
    }

    /** The string, boolean and number claims as a JSON object; Google's userinfo has no nested ones. */
    static String flatJson(Map<String, Object> claims) {
        Json body = Json.object();
        for (Map.Entry<String, Object> claim : claims.entrySet()) {
            switch (claim.getValue()) {
                case String s -> body.put(claim.getKey(), s);
                case Boolean b -> body.put(claim.getKey(), b);
                case Number n -> body.put(claim.getKey(), n.longValue());
                case null, default -> {
                }
            }
        }
        return body.toString();
    }
}
