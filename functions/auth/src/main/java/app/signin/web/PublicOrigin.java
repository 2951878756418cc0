package app.signin.web;

import java.net.URI;
import java.util.Optional;

import app.signin.error.Failure;
import app.signin.error.SignInException;

/**
 * The site's own origin: {@code PUBLIC_BASE_URL} when configured, otherwise {@code https://} plus API
 * Gateway's {@code requestContext.domainName}. Never the {@code Host} or {@code X-Forwarded-*} headers:
 * anyone can send those, and a redirect_uri or Location built from them is an open redirect.
 *
 * @param cookieDomain {@code COOKIE_DOMAIN}, the domain the session cookie is shared with (configuration
 *     checked that this origin's host lies within it); empty for a host-only cookie
 */
public record PublicOrigin(String scheme, String authority, Optional<String> cookieDomain) {

    /** An origin whose session cookie is host-only. */
    public PublicOrigin(String scheme, String authority) {
        this(scheme, authority, Optional.empty());
    }

    public static PublicOrigin of(Optional<URI> configured, HttpRequest request) {
        return of(configured, Optional.empty(), request);
    }

    /**
     * {@code cookieDomain} applies only with a configured origin: configuration refuses COOKIE_DOMAIN
     * without PUBLIC_BASE_URL, since only then can it check that the site lies within the domain.
     */
    public static PublicOrigin of(Optional<URI> configured, Optional<String> cookieDomain, HttpRequest request) {
        if (configured.isPresent()) {
            URI base = configured.get();
            return new PublicOrigin(base.getScheme(), base.getRawAuthority(), cookieDomain);
        }
        String domain = request.domainName()
                .orElseThrow(() -> new SignInException(Failure.BAD_REQUEST, "request has no domainName"));
        if (!isDomainName(domain)) {
            throw new SignInException(Failure.BAD_REQUEST, "request domainName is malformed");
        }
        return new PublicOrigin("https", domain.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Whether {@code s} is 1-253 of {@code [A-Za-z0-9.-]}, then optionally {@code :} and 1-5 digits - the
     * regex {@code [A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?} as a loop: every request asks, and under C1 the
     * matcher was a measurable part of a warm authorizer call.
     */
    static boolean isDomainName(String s) {
        int colon = s.indexOf(':');
        int hostEnd = colon < 0 ? s.length() : colon;
        if (hostEnd < 1 || hostEnd > 253) {
            return false;
        }
        for (int i = 0; i < hostEnd; i++) {
            char c = s.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-')) {
                return false;
            }
        }
        if (colon < 0) {
            return true;
        }
        int digits = s.length() - colon - 1;
        if (digits < 1 || digits > 5) {
            return false;
        }
        for (int i = colon + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    public boolean isSecure() {
        return "https".equals(scheme);
    }

    /** {@code scheme://authority}, as browsers send it in the {@code Origin} header. */
    public String origin() {
        return scheme + "://" + authority;
    }

    /** The exact redirect URI registered with Google. */
    public String redirectUri() {
        return origin() + "/callback";
    }

    /**
     * The absolute URL for a return_to that {@link ReturnTo} has already vetted: a path on this origin, or
     * the sibling site's URL it already is.
     */
    public String url(String vetted) {
        return ReturnTo.isAbsolute(vetted) ? vetted : origin() + vetted;
    }
}
