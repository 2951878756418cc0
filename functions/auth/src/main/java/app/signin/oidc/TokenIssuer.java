package app.signin.oidc;

import java.net.URI;
import java.util.List;

/**
 * Which {@code iss} values in an ID token mean "the configured issuer". OpenID Connect Core 3.1.3.7 asks
 * for an exact match, and that is the rule for every issuer but one: Google documents that its ID tokens
 * carry {@code https://accounts.google.com} or {@code accounts.google.com}, so for Google's issuer both
 * forms - and only those two - are accepted.
 *
 * <p>Only ID tokens. The RFC 9207 {@code iss} parameter of an authorization response is compared with the
 * issuer exactly: RFC 9207 section 2.4 prescribes simple string comparison with the issuer of the provider's
 * metadata, which for Google is {@code https://accounts.google.com}, the form Google sends there.
 */
public final class TokenIssuer {
    public static final String GOOGLE = "https://accounts.google.com";
    /** The scheme-less form Google's ID tokens may carry (Google's OpenID Connect guide, "Validating an ID token"). */
    static final String GOOGLE_WITHOUT_SCHEME = "accounts.google.com";

    private TokenIssuer() {
    }

    /** The accepted {@code iss} values, the configured issuer first. */
    public static List<String> idTokenForms(URI issuer) {
        String configured = issuer.toString();
        return GOOGLE.equals(configured) ? List.of(GOOGLE, GOOGLE_WITHOUT_SCHEME) : List.of(configured);
    }
}
