package app.signin.log;

import java.util.Locale;

/**
 * The Lambda functions of template.yaml, one name each: the {@code handler} field of their log lines, the
 * {@code handler} dimension of their metrics, and which of them count logins. A new function adds itself here.
 */
public enum Function {
    INDEX, LOGIN, CALLBACK, LOGOUT, AUTHORIZER, ME, HELLO, HEALTH, NOT_FOUND, GOOGLE_USERINFO, SESSIONS, END_SESSION,
    END_USER_SESSIONS;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The name in logs and metric dimensions: {@code "callback"}, {@code "not_found"}. */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
