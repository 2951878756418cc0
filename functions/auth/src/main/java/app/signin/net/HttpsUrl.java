package app.signin.net;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * The one check for a URL we put on a page: configuration ({@code SITE_LOGO_URL}) and the pages (the
 * {@code picture} claim) both use it, so it sits below both rather than in either.
 */
public final class HttpsUrl {
    private HttpsUrl() {
    }

    /**
     * An absolute https URL with a host and no user info, short enough for an attribute; anything else is
     * empty. Used for SITE_LOGO_URL and for the picture claim alike, so neither can become a {@code javascript:}
     * or plain-http URL on a page.
     */
    public static Optional<URI> parse(String value) {
        if (value == null || value.length() > 2048) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value);
            if (uri.isAbsolute() && "https".equalsIgnoreCase(uri.getScheme()) && uri.getRawAuthority() != null
                    && uri.getHost() != null && uri.getRawUserInfo() == null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // not a URL: empty below
        }
        return Optional.empty();
    }
}
