package app.signin.session;

/**
 * The names of our cookies on one origin. A cookie's MAC covers its full name, so the domain signs and
 * verifies under these names; {@code web.CookiePolicy} decides the attributes and which origin gets the
 * {@code __Host-} prefix (https only: the prefix is what stops a sibling subdomain planting a cookie).
 */
public record CookieNames(boolean hostPrefixed) {
    static final String SESSION = "session";
    static final String LOGIN = "login-";
    /** Login-binding cookies are named after a prefix of the state's hash: one per login in progress. */
    static final int LOGIN_SUFFIX_LENGTH = 16;

    public String session() {
        return prefix() + SESSION;
    }

    /**
     * Each login in progress gets its own binding cookie, so two tabs that start a login at once do not
     * overwrite each other's binding (one shared cookie would make the slower tab fail).
     */
    public String login(String stateHash) {
        return prefix() + LOGIN + stateHash.substring(0, LOGIN_SUFFIX_LENGTH);
    }

    /** Whether a cookie name is that of a login-binding cookie on this origin. */
    public boolean isLogin(String name) {
        String start = prefix() + LOGIN;
        return name.length() == start.length() + LOGIN_SUFFIX_LENGTH && name.startsWith(start);
    }

    private String prefix() {
        return hostPrefixed ? "__Host-" : "";
    }
}
