package app.signin.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/** HTML escaping for text and attribute values. */
public final class Html {
    private Html() {
    }

    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * An absolute https URL with a host and no user info, short enough for an attribute; anything else is
     * empty. Used for SITE_LOGO_URL and for the picture claim alike, so neither can become a {@code javascript:}
     * or plain-http URL on a page.
     */
    public static Optional<URI> httpsUrl(String value) {
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
            // not a URL: dropped below
        }
        return Optional.empty();
    }

}
