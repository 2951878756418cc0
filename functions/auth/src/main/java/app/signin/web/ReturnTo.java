package app.signin.web;

/**
 * Vets the {@code return_to} parameter: only a path on this site survives; anything else becomes {@code /}.
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

    public static String sanitize(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > MAX_LENGTH) {
            return DEFAULT;
        }
        if (raw.charAt(0) != '/' || raw.startsWith("//")) {
            return DEFAULT;
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '\\' || c == '"' || c == '<' || c == '>' || c == '`'
                    || c == '^' || c == '{' || c == '}' || c == '|') {
                return DEFAULT;
            }
            if (c == '%') {
                if (i + 2 >= raw.length() || !isHex(raw.charAt(i + 1)) || !isHex(raw.charAt(i + 2))) {
                    return DEFAULT;
                }
                int decoded = Integer.parseInt(raw.substring(i + 1, i + 3), 16);
                // Encoded '/', '\' and '%' invite a second decoding into a new authority; an encoded '.'
                // is a dot segment to the URL parser; encoded controls split headers. UTF-8 bytes stay.
                if (decoded == '/' || decoded == '\\' || decoded == '%' || decoded == '.' || decoded <= 0x20
                        || decoded == 0x7f) {
                    return DEFAULT;
                }
            }
        }
        // Dot segments could climb out of the path a user meant; the site has no use for them.
        if (raw.contains("/./") || raw.contains("/../") || raw.endsWith("/..") || raw.endsWith("/.")) {
            return DEFAULT;
        }
        int hash = raw.indexOf('#');
        return hash >= 0 ? raw.substring(0, hash).isEmpty() ? DEFAULT : raw.substring(0, hash) : raw;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
