package app.signin.web;

import java.util.Optional;
import java.util.Set;

import app.signin.net.WebOrigin;

/**
 * Vets the {@code return_to} parameter: only a path on this site survives - or, with sibling sites
 * configured ({@code ALLOWED_RETURN_ORIGINS}), an absolute URL whose origin, as a browser parses it
 * ({@link WebOrigin}), is exactly one of theirs; anything else becomes {@code /}.
 *
 * <p>The accepted form is deliberately narrow - an absolute path of printable ASCII, not starting with
 * {@code //}, no backslash, no encoded slash, backslash, control character or percent - because browsers
 * normalise {@code /\evil.com}, {@code /%5Cevil.com}, tab- or newline-split schemes and friends into
 * cross-origin URLs. The redirect is then emitted as an absolute URL on our own origin, a second guard.
 */
public final class ReturnTo {
    public static final String DEFAULT = "/";
    static final int MAX_LENGTH = 512;

    private ReturnTo() {
    }

    /** With no sibling sites: a path on this site, or {@link #DEFAULT}. */
    public static String sanitize(String raw) {
        return path(raw).orElse(DEFAULT);
    }

    /**
     * A path on this site, or an absolute URL on one of {@code siblings} (its path vetted by the same
     * rules, its origin serialized as the browser will read it), or {@link #DEFAULT}.
     */
    public static String sanitize(String raw, Set<WebOrigin> siblings) {
        if (siblings.isEmpty() || raw == null || raw.length() > MAX_LENGTH) {
            return sanitize(raw);
        }
        Optional<WebOrigin.Split> absolute = WebOrigin.parseAbsolute(raw);
        if (absolute.isEmpty()) {
            return sanitize(raw);
        }
        WebOrigin origin = absolute.get().origin();
        if (!siblings.contains(origin)) {
            return DEFAULT;
        }
        String rest = absolute.get().rest();
        String path = rest.isEmpty() ? "/" : rest.charAt(0) == '/' ? rest : "/" + rest;
        return path(path).map(p -> origin.serialize() + p).orElse(DEFAULT);
    }

    /** Whether a vetted return_to is an absolute URL (on a sibling site) rather than a path on this one. */
    public static boolean isAbsolute(String vetted) {
        return !vetted.startsWith("/");
    }

    private static Optional<String> path(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        if (raw.charAt(0) != '/' || raw.startsWith("//")) {
            return Optional.empty();
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '\\' || c == '"' || c == '<' || c == '>' || c == '`'
                    || c == '^' || c == '{' || c == '}' || c == '|') {
                return Optional.empty();
            }
            if (c == '%') {
                if (i + 2 >= raw.length() || !isHex(raw.charAt(i + 1)) || !isHex(raw.charAt(i + 2))) {
                    return Optional.empty();
                }
                int decoded = Integer.parseInt(raw.substring(i + 1, i + 3), 16);
                // Encoded '/', '\' and '%' invite a second decoding into a new authority; an encoded '.'
                // is a dot segment to the URL parser; encoded controls split headers. UTF-8 bytes stay.
                if (decoded == '/' || decoded == '\\' || decoded == '%' || decoded == '.' || decoded <= 0x20
                        || decoded == 0x7f) {
                    return Optional.empty();
                }
            }
        }
        // Dot segments could climb out of the path a user meant; the site has no use for them.
        if (raw.contains("/./") || raw.contains("/../") || raw.endsWith("/..") || raw.endsWith("/.")) {
            return Optional.empty();
        }
        int hash = raw.indexOf('#');
        String withoutFragment = hash >= 0 ? raw.substring(0, hash) : raw;
        return withoutFragment.isEmpty() ? Optional.empty() : Optional.of(withoutFragment);
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
