package app.signin.web;

import java.util.Optional;

import app.signin.error.Failure;
import app.signin.error.SignInException;

/**
 * Refuses a state-changing request a browser made on another site's behalf. Browsers send
 * {@code Sec-Fetch-Site} and {@code Origin} on every form POST; when present they must say "this site". A
 * client that sends neither still needs the form's CSRF token, which only our page carries.
 */
public final class SameOrigin {
    private SameOrigin() {
    }

    public static void require(HttpRequest request, PublicOrigin origin) {
        Optional<String> site = request.header("sec-fetch-site");
        if (site.isPresent() && !site.get().equals("same-origin") && !site.get().equals("none")) {
            throw new SignInException(Failure.CSRF_REJECTED, "sec-fetch-site=" + site.get().replaceAll("[^a-z-]", ""));
        }
        // Every page is served with Referrer-Policy: no-referrer, under which browsers send "Origin: null" on
        // the site's own form POSTs (Fetch: the origin is serialised per the referrer policy). "null" names no
        // site, so it counts as absent: Sec-Fetch-Site above and the CSRF token decide.
        Optional<String> requestOrigin = request.header("origin").filter(o -> !o.equals("null"));
        if (requestOrigin.isPresent() && !requestOrigin.get().equals(origin.origin())) {
            throw new SignInException(Failure.CSRF_REJECTED, "cross-origin logout");
        }
    }
}
