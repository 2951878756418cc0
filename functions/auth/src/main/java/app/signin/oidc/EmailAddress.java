package app.signin.oidc;

import java.util.Locale;

/** The narrow form of e-mail address the access policy compares: one {@code @}, ASCII only, lower-cased. */
public final class EmailAddress {
    private EmailAddress() {
    }

    /**
     * True for {@code local@domain} with exactly one {@code @}, ASCII letters, digits and the usual punctuation
     * in the local part, and a dotted ASCII domain. Quoted local parts, multiple {@code @}, IDN look-alikes
     * (non-ASCII) and whitespace are refused, so an allow-list entry can only ever match itself.
     */
    public static boolean isPlain(String email) {
        if (email == null || email.length() > 254) {
            return false;
        }
        return email.matches("[a-z0-9!#$&'*+/=?^_`{|}~.-]{1,64}@[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+");
    }

    /** The domain part of a plain address, lower-cased. */
    public static String domainOf(String email) {
        return email.substring(email.indexOf('@') + 1).toLowerCase(Locale.ROOT);
    }
}
