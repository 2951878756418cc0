package app.signin.login;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import app.signin.crypto.RandomTokens;
import app.signin.oidc.Provider;
import app.signin.session.CookieNames;
import app.signin.session.PendingLogins;
import app.signin.session.SentCookie;
import app.signin.session.SessionStore;
import app.signin.session.Sessions;
import app.signin.snapstart.SnapStartPriming;

/**
 * Starts a login: a pending login with fresh state, nonce and PKCE verifier ({@link PendingLogins}), and the
 * provider's authorization URL that carries them.
 *
 * <p>With offline access ({@code GOOGLE_OFFLINE_ACCESS}) the URL asks for a refresh token
 * ({@code access_type=offline}). Google sends one only when the user consents, so {@code prompt=consent} is
 * added - but only when the browser's current session has no refresh token yet: a user who already granted
 * offline access is not shown the consent screen on every sign-in.
 */
public final class LoginStarter {
    private final PendingLogins pendingLogins;
    private final Provider provider;
    private final Sessions sessions;
    private final String scope;
    private final boolean offlineAccess;
    /** The URL's constant parameters, encoded once (URLEncoder per login was a visible part of a warm one). */
    private final String clientIdParameter;
    private final String scopeParameter;

    /**
     * @param scope the {@code scope} parameter: {@code openid email profile} and any extra scopes
     * @param offlineAccess whether to ask for a refresh token
     */
    public LoginStarter(PendingLogins pendingLogins, Provider provider, Sessions sessions, String scope,
            boolean offlineAccess) {
        this.pendingLogins = pendingLogins;
        this.provider = provider;
        this.sessions = sessions;
        this.scope = scope;
        this.offlineAccess = offlineAccess;
        this.clientIdParameter = "&client_id=" + enc(provider.clientId());
        this.scopeParameter = "&scope=" + enc(scope);
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
     * @param currentSession the session cookie the browser sent (maybe none): with offline access, whether
     *     its session already holds a refresh token decides whether consent is asked for
     */
    public Started start(CookieNames names, String redirectUri, String returnTo, SentCookie currentSession,
            Instant now) {
        // Discovery first: if the provider is unreachable nothing is stored and no cookie is set.
        String authorizationEndpoint = provider.metadata().authorizationEndpoint().toString();
        PendingLogins.Begun begun = pendingLogins.begin(names, returnTo, now);
        String url = authorizationEndpoint + (authorizationEndpoint.contains("?") ? "&" : "?")
                + "response_type=code"
                + clientIdParameter
                + "&redirect_uri=" + enc(redirectUri)
                + scopeParameter
                + "&state=" + begun.state()
                + "&nonce=" + begun.nonce()
                + "&code_challenge=" + Pkce.s256Challenge(begun.codeVerifier())
                + "&code_challenge_method=S256"
                + (offlineAccess ? "&access_type=offline" : "")
                + (offlineAccess && !sessions.hasRefreshToken(currentSession, now) ? "&prompt=consent" : "");
        return new Started(url, begun.cookieName(), begun.cookieValue(), begun.cookieLifetime());
    }

    /**
     * The same starter over another store and random source: SnapStart priming runs the whole login on this
     * copy, so nothing is drawn from the application's random source and nothing is stored.
     */
    public LoginStarter onThrowaways(SessionStore store, RandomTokens random) {
        return new LoginStarter(pendingLogins.over(store, random), provider, sessions, scope, offlineAccess);
    }

    /** SnapStart priming: the provider's discovery and the login role's one store call (a put). */
    public void prime(SnapStartPriming priming, Instant now) {
        provider.prime(priming);
        pendingLogins.prime(priming, SessionStore.PrimingCall.SAVE_LOGIN, now);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
