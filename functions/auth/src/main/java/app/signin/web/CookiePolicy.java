package app.signin.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import app.signin.crypto.RandomTokens;
import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.login.AuthorizationResponse;
import app.signin.session.CookieNames;
import app.signin.session.DeviceDescription;
import app.signin.session.SentCookie;

/**
 * Cookie names and attributes, set here and nowhere else: {@code HttpOnly; Secure; SameSite=Lax; Path=/},
 * and the {@code __Host-} prefix whenever the site is served over https (the prefix is what stops a sibling
 * subdomain from planting a cookie for us). The one exception is the session cookie when
 * {@code COOKIE_DOMAIN} is set: it then carries {@code Domain=} that domain, so the sibling sites' own
 * backends see it, and the {@code __Secure-} prefix ({@code __Host-} forbids a Domain). That gives up the
 * {@code __Host-} guarantee for the session cookie: any host under the domain can then set one of the same
 * name - shadowing or replacing ours (session fixation) or adding a second copy (no session: a lockout) - the
 * trade-off README and SECURITY.md state. Setting and
 * clearing it both go through {@link #setSession} / {@link #clearSession}: a clearing {@code Set-Cookie}
 * without the same Domain would leave the shared cookie in place.
 *
 * <p>{@code Secure} is sent even on {@code http://localhost}: browsers treat localhost as a secure
 * context and keep such cookies, so the local runner behaves like production.
 */
public final class CookiePolicy {
    /**
     * A browser holds at most this many binding cookies. Each abandoned login leaves one for 10 minutes;
     * without a cap, a browser sent to {@code /login} again and again would grow its Cookie header past
     * API Gateway's limits and be locked out of the whole site until they expire.
     */
    public static final int MAX_LOGIN_COOKIES = 5;

    private CookiePolicy() {
    }

    /** Our cookies' names on this origin (see {@link CookieNames} for the prefixes). */
    public static CookieNames names(PublicOrigin origin) {
        return new CookieNames(origin.isSecure(), origin.cookieDomain().isPresent());
    }

    public static String sessionCookieName(PublicOrigin origin) {
        return names(origin).session();
    }

    public static String loginCookieName(PublicOrigin origin, String stateHash) {
        return names(origin).login(stateHash);
    }

    /** The name of the binding cookie of the login a well-formed {@code state} names; none for a missing or malformed one. */
    public static Optional<String> loginCookieName(PublicOrigin origin, Optional<String> state) {
        return state.filter(RandomTokens::isWellFormed).map(s -> loginCookieName(origin, RandomTokens.hash(s)));
    }

    /**
     * The binding cookie's name for the request's {@code state} parameter, for an error answer that clears it:
     * none when it is missing or malformed, and none when it is repeated - such a state names no one login.
     */
    public static Optional<String> loginCookieNameToClear(PublicOrigin origin, HttpRequest request) {
        try {
            return loginCookieName(origin, request.queryParam("state"));
        } catch (SignInException repeated) {
            return Optional.empty();
        }
    }

    /**
     * {@code GET /callback} as the browser delivered it: the provider's parameters, the binding cookie named
     * after its state, the session cookie it already has and its device description. A repeated parameter is
     * refused ({@link HttpRequest#queryParam}), {@code state} first.
     */
    public static AuthorizationResponse authorizationResponse(PublicOrigin origin, HttpRequest request) {
        Optional<String> state = request.queryParam("state");
        return new AuthorizationResponse(request.queryParam("code"), state, request.queryParam("iss"),
                request.queryParam("error"), loginCookieName(origin, state).map(name -> sent(request, name)),
                sessionCookie(origin, request), DeviceDescription.of(request.header("user-agent").orElse(null)));
    }

    /**
     * The binding cookie's clearing after a failed callback: the attempt is over, so its binding cookie must not
     * linger in the browser. A 503 before the pending login was consumed is not the end of it: reloading the
     * callback URL once the store or the provider answers again can still finish the login - for that the
     * binding cookie must survive. {@code origin} is null when the request named none.
     */
    public static HttpResponse clearAfterFailedCallback(HttpResponse error, PublicOrigin origin, HttpRequest request,
            SignInException e) {
        if (origin != null && (e.failure().retryAfterSeconds() == 0 || e.isAttemptSpent())) {
            loginCookieNameToClear(origin, request).map(CookiePolicy::clear).ifPresent(error::cookie);
        }
        return error;
    }

    /** The session cookie as this request carries it (possibly not at all). */
    public static SentCookie sessionCookie(PublicOrigin origin, HttpRequest request) {
        return sent(request, sessionCookieName(origin));
    }

    /** The cookie of this exact name as the request carries it. */
    public static SentCookie sent(HttpRequest request, String name) {
        return new SentCookie(name, request.cookies(name));
    }

    /** Of the cookie names a request carries, those of login-binding cookies on this origin. */
    public static List<String> loginCookieNames(PublicOrigin origin, Iterable<String> names) {
        CookieNames ours = names(origin);
        List<String> found = new ArrayList<>();
        for (String name : names) {
            if (ours.isLogin(name)) {
                found.add(name);
            }
        }
        return found;
    }

    /** {@code everywhere=true} on the Sign out form: every session of the user, not only this one. */
    public static boolean isEverywhere(HttpRequest request) {
        return request.formField("everywhere").filter("true"::equals).isPresent();
    }

    /**
     * The session cookie's clearing after a failed {@code POST /logout}: whatever went wrong with the store,
     * this browser is signed out, so the cookie is cleared on a 503 too. A refused cross-site request keeps
     * it - clearing it would be the very logout CSRF we refuse - and so does "everywhere" interrupted: this
     * session is kept so the button can be pressed again. {@code origin} is null when the request named none.
     */
    public static HttpResponse clearAfterFailedLogout(HttpResponse error, PublicOrigin origin, HttpRequest request,
            Failure failure) {
        boolean signedOut = failure == Failure.STORE_UNAVAILABLE && origin != null && "POST".equals(request.method())
                && !isEverywhere(request);
        return signedOut ? error.cookie(clearSession(origin)) : error;
    }

    /**
     * A new login's answer also clears every binding cookie the browser holds once it holds
     * {@link #MAX_LOGIN_COOKIES}: logins started and never finished - past a handful they are abandoned, not
     * parallel tabs.
     */
    public static HttpResponse clearAbandonedLogins(HttpResponse login, PublicOrigin origin, HttpRequest request) {
        List<String> held = loginCookieNames(origin, request.cookieNames());
        if (held.size() >= MAX_LOGIN_COOKIES) {
            held.forEach(name -> login.cookie(clear(name)));
        }
        return login;
    }

    /** The session cookie, for the sibling sites' domain when {@code COOKIE_DOMAIN} is set. */
    public static String setSession(PublicOrigin origin, String value, Duration maxAge) {
        return set(sessionCookieName(origin), value, maxAge) + domain(origin);
    }

    /** Clears the session cookie under the same name and Domain it was set with. */
    public static String clearSession(PublicOrigin origin) {
        return clear(sessionCookieName(origin)) + domain(origin);
    }

    /**
     * Clearing {@code Set-Cookie}s for a session cookie of the other {@code COOKIE_DOMAIN} setting, if the
     * request carries one. Switching the setting renames the session cookie ({@code __Host-} /
     * {@code __Secure-}); the old one would otherwise stay in the browser for its whole lifetime, sent with
     * every request, and name a live session again if the setting were switched back before it ends. A
     * {@code __Host-} cookie is cleared as it was set (host-only). A {@code __Secure-} one was set with a
     * Domain this configuration no longer knows - one that contained this host - so it is cleared for each
     * of the host's domains of two labels or more (a browser ignores one for a public suffix). Plain http
     * (loopback only) has one name for both settings: nothing to clear.
     */
    public static List<String> clearOtherModesSession(PublicOrigin origin, HttpRequest request) {
        if (!origin.isSecure()) {
            return List.of();
        }
        boolean shared = origin.cookieDomain().isPresent();
        String other = new CookieNames(true, !shared).session();
        if (request.cookies(other).isEmpty()) {
            return List.of();
        }
        if (shared) {
            return List.of(clear(other));
        }
        List<String> clears = new ArrayList<>();
        String host = origin.authority().replaceFirst(":\\d+$", "");
        for (int dot = -1; host.indexOf('.', dot + 1) > 0; dot = host.indexOf('.', dot + 1)) {
            clears.add(clear(other) + "; Domain=" + host.substring(dot + 1));
        }
        return clears;
    }

    private static String domain(PublicOrigin origin) {
        return origin.cookieDomain().map(d -> "; Domain=" + d).orElse("");
    }

    /** A host-only cookie (the login-binding cookies): never a Domain. */
    public static String set(String name, String value, Duration maxAge) {
        return name + "=" + value + "; Max-Age=" + maxAge.toSeconds() + "; Path=/; HttpOnly; Secure; SameSite=Lax";
    }

    /** Clears a host-only cookie. */
    public static String clear(String name) {
        return name + "=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; HttpOnly; Secure; SameSite=Lax";
    }
}
