package app.signin.login;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import app.signin.crypto.CookieCodec;
import app.signin.crypto.RandomTokens;
import app.signin.oidc.Provider;
import app.signin.session.PendingLogin;
import app.signin.session.SessionStore;
import app.signin.web.CookiePolicy;
import app.signin.web.PublicOrigin;
import app.signin.web.ReturnTo;

/**
 * Starts a login: fresh state, nonce and PKCE verifier, the pending login saved server-side, and a
 * browser-binding cookie.
 *
 * <p>Why server-side state rather than an encrypted cookie alone: a cookie can be replayed, so it cannot
 * make a state single-use, and two callbacks racing with the same code must end in exactly one token
 * exchange. A conditional delete in DynamoDB gives that atomically. The item is keyed by the state's hash
 * and expires after {@link #PENDING_LIFETIME} (checked in code; TTL cleans up), so 10,000 abandoned logins
 * leave 10,000 short-lived items and nothing else.
 *
 * <p>Why a cookie too: the state alone proves nothing about which browser presents it (login CSRF). The
 * binding cookie carries the state under our MAC, named per login so parallel tabs do not collide.
 */
public final class LoginStarter {
    public static final Duration PENDING_LIFETIME = Duration.ofMinutes(10);

    private final SessionStore store;
    private final CookieCodec codec;
    private final RandomTokens random;
    private final Provider provider;

    public LoginStarter(SessionStore store, CookieCodec codec, RandomTokens random, Provider provider) {
        this.store = store;
        this.codec = codec;
        this.random = random;
        this.provider = provider;
    }

    /** Where to send the browser, and the binding cookie to set. */
    public record Started(String authorizationUrl, String bindingCookie) {
    }

    public Started start(PublicOrigin origin, String requestedReturnTo, Instant now) {
        String authorizationEndpoint = provider.metadata().authorizationEndpoint().toString();
        String state = random.next();
        String nonce = random.next();
        String verifier = random.next();
        String stateHash = RandomTokens.hash(state);
        store.putPendingLogin(new PendingLogin(stateHash, nonce, verifier, ReturnTo.sanitize(requestedReturnTo),
                now.plus(PENDING_LIFETIME)));

        String cookieName = CookiePolicy.loginCookieName(origin, stateHash);
        String cookie = CookiePolicy.set(cookieName, codec.sign(cookieName, state), PENDING_LIFETIME);
        String url = authorizationEndpoint + (authorizationEndpoint.contains("?") ? "&" : "?")
                + "response_type=code"
                + "&client_id=" + enc(provider.clientId())
                + "&redirect_uri=" + enc(origin.redirectUri())
                + "&scope=" + enc("openid email profile")
                + "&state=" + state
                + "&nonce=" + nonce
                + "&code_challenge=" + Pkce.s256Challenge(verifier)
                + "&code_challenge_method=S256";
        return new Started(url, cookie);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
