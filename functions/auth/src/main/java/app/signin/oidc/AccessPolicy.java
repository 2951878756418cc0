package app.signin.oidc;

import java.util.Locale;
import java.util.Set;

import app.signin.error.Failure;
import app.signin.error.SignInException;

/**
 * Who may sign in. With no allow-list configured, any Google account with a verified address may. With
 * {@code ALLOWED_DOMAINS}, the Workspace domain must come from the verified ID token's {@code hd} claim -
 * never from a request parameter, which anyone can set. With {@code ALLOWED_EMAILS}, the address must match
 * exactly. When both are set, either admits.
 */
public final class AccessPolicy {
    private final Set<String> domains;
    private final Set<String> emails;

    public AccessPolicy(Set<String> domains, Set<String> emails) {
        this.domains = Set.copyOf(domains);
        this.emails = Set.copyOf(emails);
    }

    public void check(Identity identity) {
        if (domains.isEmpty() && emails.isEmpty()) {
            return;
        }
        String email = identity.email() == null ? "" : identity.email().toLowerCase(Locale.ROOT);
        if (!EmailAddress.isPlain(email)) {
            throw new SignInException(Failure.ACCESS_DENIED, "address is not a plain ASCII address");
        }
        String hd = identity.hostedDomain() == null ? null : identity.hostedDomain().toLowerCase(Locale.ROOT);
        // The hd claim alone is not enough: the address itself must also be in that domain.
        boolean domainOk = hd != null && domains.contains(hd) && EmailAddress.domainOf(email).equals(hd);
        if (domainOk || emails.contains(email)) {
            return;
        }
        throw new SignInException(Failure.ACCESS_DENIED, "account not on the allow-list");
    }
}
