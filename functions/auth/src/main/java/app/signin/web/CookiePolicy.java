package app.signin.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Cookie names and attributes, set here and nowhere else: {@code HttpOnly; Secure; SameSite=Lax; Path=/},
 * never a {@code Domain}, and the {@code __Host-} prefix whenever the site is served over https (the
 * prefix is what stops a sibling subdomain from planting a cookie for us).
 *
 * <p>{@code Secure} is sent even on {@code http://localhost}: browsers treat localhost as a secure
 * context and keep such cookies, so the local runner behaves like production.
 */
public final class CookiePolicy {
    static final String SESSION = "session";
    static final String LOGIN = "login-";
    /** Login-binding cookies are named after a prefix of the state's hash: one per login in progress. */
    static final int LOGIN_SUFFIX_LENGTH = 16;
    /**
     * A browser holds at most this many binding cookies. Each abandoned login leaves one for 10 minutes;
     * without a cap, a browser sent to {@code /login} again and again would grow its Cookie header past
     * API Gateway's limits and be locked out of the whole site until they expire.
     */
    public static final int MAX_LOGIN_COOKIES = 5;

    private CookiePolicy() {
    }

    public static String sessionCookieName(PublicOrigin origin) {
        return prefix(origin) + SESSION;
    }

    /**
     * Each login in progress gets its own binding cookie, so two tabs that start a login at once do not
     * overwrite each other's binding (one shared cookie would make the slower tab fail).
     */
    public static String loginCookieName(PublicOrigin origin, String stateHash) {
        return prefix(origin) + LOGIN + stateHash.substring(0, LOGIN_SUFFIX_LENGTH);
    }

    /** Of the cookie names a request carries, those of login-binding cookies on this origin. */
    public static List<String> loginCookieNames(PublicOrigin origin, Iterable<String> names) {
        String start = prefix(origin) + LOGIN;
        List<String> found = new ArrayList<>();
        for (String name : names) {
            if (name.length() == start.length() + LOGIN_SUFFIX_LENGTH && name.startsWith(start)) {
                found.add(name);
            }
        }
        return found;
    }

    public static String set(String name, String value, Duration maxAge) {
        return name + "=" + value + "; Max-Age=" + maxAge.toSeconds() + "; Path=/; HttpOnly; Secure; SameSite=Lax";
    }

    public static String clear(String name) {
        return name + "=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; HttpOnly; Secure; SameSite=Lax";
    }

    private static String prefix(PublicOrigin origin) {
        return origin.isSecure() ? "__Host-" : "";
    }
}
