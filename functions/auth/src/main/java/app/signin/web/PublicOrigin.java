package app.signin.web;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Pattern;

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
    /** Compiled once: String.matches would compile it on every request. */
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?");

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
        if (!DOMAIN.matcher(domain).matches()) {
            throw new SignInException(Failure.BAD_REQUEST, "request domainName is malformed");
        }
        return new PublicOrigin("https", domain.toLowerCase(java.util.Locale.ROOT));
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
