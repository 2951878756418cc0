package app.signin.session;

/**
 * The names of our cookies on one origin. A cookie's MAC covers its full name, so the domain signs and
 * verifies under these names; {@code web.CookiePolicy} decides the attributes and the prefixes.
 *
 * <p>Over https the login-binding cookies are always {@code __Host-} (only this origin's callback reads
 * them; the prefix stops a sibling subdomain planting one). The session cookie is {@code __Host-} too,
 * unless it is shared with sibling sites ({@code COOKIE_DOMAIN}): a {@code __Host-} cookie cannot carry a
 * {@code Domain}, so it is then {@code __Secure-}, which still requires {@code Secure} and an https origin.
 *
 * @param secure whether the origin is https (plain http is only ever loopback: no prefix)
 * @param sharedSession whether the session cookie carries a {@code Domain} for sibling sites
 */
public record CookieNames(boolean secure, boolean sharedSession) {
    static final String SESSION = "session";
    static final String LOGIN = "login-";
    /** Login-binding cookies are named after a prefix of the state's hash: one per login in progress. */
    static final int LOGIN_SUFFIX_LENGTH = 16;

    public String session() {
        return (!secure ? "" : sharedSession ? "__Secure-" : "__Host-") + SESSION;
    }

    /**
     * Each login in progress gets its own binding cookie, so two tabs that start a login at once do not
     * overwrite each other's binding (one shared cookie would make the slower tab fail).
     */
    public String login(String stateHash) {
        return loginPrefix() + LOGIN + stateHash.substring(0, LOGIN_SUFFIX_LENGTH);
    }

    /** Whether a cookie name is that of a login-binding cookie on this origin. */
    public boolean isLogin(String name) {
        String start = loginPrefix() + LOGIN;
        return name.length() == start.length() + LOGIN_SUFFIX_LENGTH && name.startsWith(start);
    }

    private String loginPrefix() {
        return secure ? "__Host-" : "";
    }
}
