package app.signin.web;

import java.util.Locale;
import java.util.Optional;

import app.signin.error.Failure;
import app.signin.error.SignInException;

/**
 * The token of an {@code Authorization: Bearer} header (RFC 6750 2.1). When the header is present it is the
 * only credential a request is judged by - a bad one is refused even beside a good session cookie, so a
 * client never silently acts as whoever the browser happens to be signed in as.
 *
 * <p>Strict on shape: the scheme (any case), one or more spaces, one {@code b64token}. Two headers arrive
 * comma-joined from API Gateway and are refused, as is any other scheme, an empty token, or a header far
 * longer than an ID token can be.
 */
public final class BearerCredential {
    /** Well above any ID token: the verifier's own, tighter limit is the one that names the problem. */
    static final int MAX_LENGTH = 16 * 1024;

    private BearerCredential() {
    }

    /** The token, or a {@link Failure#INVALID_TOKEN} naming what is wrong with the header (never its value). */
    public static String token(Optional<String> header) {
        String value = header.orElseThrow(() -> invalid("no Authorization header"));
        if (value.length() > MAX_LENGTH) {
            throw invalid("Authorization header too long");
        }
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
            throw invalid("Authorization scheme is not Bearer");
        }
        int start = space;
        while (start < value.length() && value.charAt(start) == ' ') {
            start++;
        }
        String token = value.substring(start);
        if (token.isEmpty()) {
            throw invalid("Bearer without a token");
        }
        if (!isB64Token(token)) {
            throw invalid("Bearer token is not one b64token (two Authorization headers, or stray characters)");
        }
        return token;
    }

    /** {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. */
    static boolean isB64Token(String s) {
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~' || c == '+' || c == '/') {
                i++;
            } else {
                break;
            }
        }
        if (i == 0) {
            return false;
        }
        while (i < s.length() && s.charAt(i) == '=') {
            i++;
        }
        return i == s.length();
    }

    /** {@code why} is our own fixed text, so it is also what the client is told. */
    private static SignInException invalid(String why) {
        return new SignInException(Failure.INVALID_TOKEN, why, why, null);
    }
}
