package app.signin.oidc;

import java.util.Locale;
import java.util.Optional;
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

    /** At login: throws {@code ACCESS_DENIED} unless this verified identity may sign in. */
    public void check(Identity identity) {
        refusal(identity.email(), identity.hostedDomain()).ifPresent(why -> {
            throw new SignInException(Failure.ACCESS_DENIED, why);
        });
    }

    /**
     * Why an address (with the {@code hd} claim it was verified with) may not sign in, or empty if it may.
     * Asked at login and again on every session read, so narrowing the allow-list ends sessions it no
     * longer admits on their next request.
     */
    public Optional<String> refusal(String address, String hostedDomain) {
        if (domains.isEmpty() && emails.isEmpty()) {
            return Optional.empty();
        }
        String email = address == null ? "" : address.toLowerCase(Locale.ROOT);
        if (!EmailAddress.isPlain(email)) {
            return Optional.of("address is not a plain ASCII address");
        }
        String hd = hostedDomain == null ? null : hostedDomain.toLowerCase(Locale.ROOT);
        // The hd claim alone is not enough: the address itself must also be in that domain.
        boolean domainOk = hd != null && domains.contains(hd) && EmailAddress.domainOf(email).equals(hd);
        return domainOk || emails.contains(email) ? Optional.empty() : Optional.of("account not on the allow-list");
    }
}
