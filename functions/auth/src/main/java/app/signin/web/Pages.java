package app.signin.web;

import app.signin.error.Failure;

/** The few HTML pages the service shows. Every dynamic value passes through {@link Html#escape}. */
public final class Pages {
    private Pages() {
    }

    public static String signedIn(String email, String name, String picture, String csrfToken) {
        String img = picture != null && picture.startsWith("https://")
                ? "<img src=\"" + Html.escape(picture) + "\" alt=\"\" width=\"64\" height=\"64\" referrerpolicy=\"no-referrer\">"
                : "";
        return page("Signed in",
                img
                + "<p id=\"who\">Logged in as: <strong id=\"email\">" + Html.escape(email) + "</strong></p>"
                + (name == null || name.isEmpty() ? "" : "<p id=\"name\">" + Html.escape(name) + "</p>")
                + signOutForm(csrfToken));
    }

    public static String signedOut() {
        return page("Sign in", "<p>You are not signed in.</p>"
                + "<p><a id=\"login\" href=\"/login\">Login with Google</a></p>");
    }

    public static String confirmSignOut(String csrfToken) {
        return page("Sign out", "<p>Do you want to sign out?</p>" + signOutForm(csrfToken));
    }

    public static String error(Failure failure, String detail, String requestId) {
        return page(failure.title(),
                "<p id=\"error\">" + Html.escape(failure.message()) + "</p>"
                + (detail == null ? "" : "<p id=\"detail\">" + Html.escape(detail) + "</p>")
                + "<p><a href=\"/\">Back to the start page</a></p>"
                + "<p><small>Reason: <code>" + Html.escape(failure.reason()) + "</code> &middot; request id: <code id=\"request-id\">"
                + Html.escape(requestId) + "</code></small></p>");
    }

    private static String signOutForm(String csrfToken) {
        return "<form method=\"post\" action=\"/logout\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"" + Html.escape(csrfToken) + "\">"
                + "<button id=\"logout\" type=\"submit\">Sign out</button></form>";
    }

    private static String page(String title, String content) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + Html.escape(title) + "</title>"
                + "<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}"
                + "img{border-radius:50%}button,a#login{font-size:1rem}</style></head><body>"
                + "<h1>" + Html.escape(title) + "</h1>" + content + "</body></html>";
    }
}
