package app.signin.login;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import app.signin.oidc.Provider;
import app.signin.session.CookieNames;
import app.signin.session.PendingLogins;

/**
 * Starts a login: a pending login with fresh state, nonce and PKCE verifier ({@link PendingLogins}), and the
 * provider's authorization URL that carries them.
 */
public final class LoginStarter {
    private final PendingLogins pendingLogins;
    private final Provider provider;

    public LoginStarter(PendingLogins pendingLogins, Provider provider) {
        this.pendingLogins = pendingLogins;
        this.provider = provider;
    }

    /** Where to send the browser, and the binding cookie to set. */
    public record Started(String authorizationUrl, String cookieName, String cookieValue, Duration cookieLifetime) {
        @Override
        public String toString() {
            return "Started[" + cookieName + "]";
        }
    }

    /**
     * @param names our cookie names on the request's origin
     * @param redirectUri the callback URL registered with the provider, on the request's origin
     * @param returnTo where to go after signing in: a path on this site or a URL on a sibling site, already
     *                 vetted by {@code ReturnTo}
     */
    public Started start(CookieNames names, String redirectUri, String returnTo, Instant now) {
        // Discovery first: if the provider is unreachable nothing is stored and no cookie is set.
        String authorizationEndpoint = provider.metadata().authorizationEndpoint().toString();
        PendingLogins.Begun begun = pendingLogins.begin(names, returnTo, now);
        String url = authorizationEndpoint + (authorizationEndpoint.contains("?") ? "&" : "?")
                + "response_type=code"
                + "&client_id=" + enc(provider.clientId())
                + "&redirect_uri=" + enc(redirectUri)
                + "&scope=" + enc("openid email profile")
                + "&state=" + begun.state()
                + "&nonce=" + begun.nonce()
                + "&code_challenge=" + Pkce.s256Challenge(begun.codeVerifier())
                + "&code_challenge_method=S256";
        return new Started(url, begun.cookieName(), begun.cookieValue(), begun.cookieLifetime());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
