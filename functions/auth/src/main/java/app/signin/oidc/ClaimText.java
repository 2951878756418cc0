package app.signin.oidc;

import java.util.Map;

import app.signin.error.Failure;
import app.signin.error.SignInException;

/**
 * The claims we keep (in the session item, the authorizer context) and show (on pages, in {@code /api/me})
 * must be text that survives both: well-formed Unicode, no NUL, of a sane length. A signed
 * token can still carry a lone surrogate ({@code "\ud800"} is valid JSON) or a 6 KB name; refusing it here
 * makes it a bad token (401) instead of a store error or a broken page later.
 */
final class ClaimText {
    /** OpenID Connect Core 2: "It MUST NOT exceed 255 ASCII characters in length." */
    static final int MAX_SUB = 255;
    /** RFC 5321's 64-octet local part + "@" + 255-octet domain. */
    static final int MAX_EMAIL = 320;
    static final int MAX_NAME = 512;
    static final int MAX_URL = 2_048;
    /** RFC 1035: a domain name is at most 253 characters as text. */
    static final int MAX_DOMAIN = 253;

    private ClaimText() {
    }

    /** The claim if it is a JSON string; absent (or of another type, which no check relies on) is null. */
    static String string(Map<String, Object> raw, String claim) {
        return raw.get(claim) instanceof String s ? s : null;
    }

    /** Refuses a present value that is too long or not storable, showable text; the value is never quoted. */
    static void require(String claim, String value, int maxLength) {
        if (value == null) {
            return;
        }
        if (value.length() > maxLength) {
            throw new SignInException(Failure.ID_TOKEN_INVALID, "claim " + claim + " longer than " + maxLength);
        }
        if (!isText(value)) {
            throw new SignInException(Failure.ID_TOKEN_INVALID,
                    "claim " + claim + " is not well-formed text (lone surrogate, NUL or noncharacter)");
        }
    }

    /**
     * Well-formed UTF-16 (every surrogate paired: a lone one has no UTF-8 form, so a store would replace
     * it), no NUL (which C-based consumers of the store and logs cut strings at), no noncharacter
     * U+FFFE/U+FFFF. Other control characters are text a page escapes; what an address may contain is the
     * access policy's question, answered as a denial.
     */
    static boolean isText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c) || c == 0 || c == 0xfffe || c == 0xffff) {
                return false;
            }
        }
        return true;
    }
}
