package app.signin.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import app.signin.config.Branding;
import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.net.HttpsUrl;
import app.signin.session.UserSessions;

/**
 * Every HTML page a person can land on, rendered by string concatenation: no template engine, because
 * these pages are on the cold path of index, login, callback and logout, and six small pages do not
 * justify loading one. Every dynamic value passes through {@link Html#escape}; every word comes from the
 * message bundle ({@link Messages}); every URL shown is checked by {@link HttpsUrl#parse} first.
 *
 * <p><b>Stylesheet: inline, allowed by its hash in the CSP</b> ({@code style-src 'sha256-...'}), not a
 * separate file. A stylesheet route would be served by a Lambda function: a first visit would then wait for
 * a second cold start (this one's plus the stylesheet's) before the page can render, and long-lived caching
 * would not help the first visit, which is the one a cold start hits. Inline, the stylesheet is about 3 KB
 * per page (under 1 KB gzipped, in the same response). The hash keeps the CSP stricter than before
 * ({@code 'unsafe-inline'} is gone): only this exact stylesheet applies, so injected markup could not style
 * anything even if it got past the escaping. The stylesheet, and hence the hash, depends on
 * {@code BRAND_COLOR}, so both are computed once per container, here.
 *
 * <p><b>Favicon: a {@code data:} URI</b> in a {@code <link rel="icon">} (CSP {@code img-src} allows
 * {@code data:}). With a link on every page browsers no longer ask for {@code /favicon.ico}, which on AWS
 * would start the 404 function for every new visitor; a route would cost an invocation for a 300-byte icon.
 *
 * <p><b>The sign-in button</b> follows Google's sign-in branding guidelines for a button without the
 * logo: the label "Sign in with Google", the light and dark theme's fill, stroke and label colours, a 40 px
 * pill. The official "G" mark is not shipped: it may only be used as Google distributes it, unaltered, and
 * it cannot be fetched from here, and a re-drawing from memory would be exactly the altered mark the
 * guidelines forbid. Add Google's official SVG to the page to use the full button. The label uses the
 * system font stack rather than Roboto: a web font would need {@code font-src} and another request.
 *
 * <p>Sign-in is a link styled as a button, not a {@code <button>} in a form: it is a navigation (GET
 * {@code /login}, then a redirect to Google), and CSP {@code form-action 'self'} also applies to where a
 * form submission redirects, so a form would be blocked on its way to Google. Actions that change state
 * (Sign out) are real {@code <button>}s in POST forms.
 */
public final class Pages {
    static final String LOGIN = "/login";
    static final String HOME = "/";
    /** Where a signed-in user sees their sessions (SessionsHandler): the one place the path is spelled. */
    public static final String SESSIONS = "/sessions";
    /** Where the page's forms end one of them (EndSessionHandler). */
    public static final String END_SESSION = SESSIONS + "/end";
    /** The favicon: a rounded square with a check mark, in the brand colour. */
    private static final String FAVICON_SVG = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'>"
            + "<rect width='32' height='32' rx='7' fill='COLOR'/><path d='M9 16.5l4.5 4.5L23 11' fill='none' "
            + "stroke='white' stroke-width='3.5' stroke-linecap='round' stroke-linejoin='round'/></svg>";
    /** The built-in brand colour (6.9:1 with white). */
    public static final String DEFAULT_BRAND = "#0b57d0";

    private final Messages text;
    private final String siteName;
    /** Whether SITE_NAME was set: only then does it appear above each heading (not "Sign in" over "Sign out?"). */
    private final boolean named;
    private final Optional<URI> logo;
    /** The configured provider as users know it ({@code Provider.displayName}), for {@code {provider}}. */
    private final String providerName;
    /**
     * Every page's first 4 KB - doctype, head, favicon, stylesheet - up to its {@code <title>}: the same for
     * every page of this container, so its JSON form in the Lambda response is computed once here
     * ({@link HttpApiJson.Fragment}) rather than escaped again on every request.
     */
    private final HttpApiJson.Fragment top;
    /** The signed-in page after {@link #top}: its markup around its values, split once (see {@link #signedIn}). */
    private final HttpApiJson.Fragment[] signedInMarkup;
    /** The signed-out page after {@link #top}, without and with the "signed out" notice. */
    private final HttpApiJson.Fragment[] signedOutPages;
    private final String csp;

    /**
     * Pages that name the provider "Google": for the 404 function, which reads only the branding and
     * never shows a failure that names the provider, and for tests.
     */
    public Pages(Branding branding) {
        this(branding, "Google");
    }

    /** @param providerName the configured provider as users know it ({@code Provider.displayName}) */
    public Pages(Branding branding, String providerName) {
        this(branding, Messages.bundled(), providerName);
    }

    Pages(Branding branding, Messages text, String providerName) {
        this.text = text;
        this.providerName = providerName;
        this.siteName = branding.siteName().orElseGet(() -> text.get("site.defaultName"));
        this.named = branding.siteName().isPresent();
        this.logo = branding.logoUrl();
        String color = branding.brandColor().orElse(DEFAULT_BRAND);
        String css = stylesheet(color);
        this.csp = HttpResponse.pageCsp(sha256(css));
        String favicon = "data:image/svg+xml," + FAVICON_SVG.replace("COLOR", color).replace("#", "%23")
                .replace("<", "%3C").replace(">", "%3E").replace(" ", "%20");
        String head = "<meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<meta name=\"color-scheme\" content=\"light dark\">"
                + "<link rel=\"icon\" href=\"" + favicon + "\"><style>" + css + "</style>";
        this.top = new HttpApiJson.Fragment("<!doctype html><html lang=\"" + Html.escape(text.get("page.lang"))
                + "\"><head>" + head + "<title>");
        this.signedInMarkup = markupAround(signedInRest(VALUE[0], VALUE[1], VALUE[2], VALUE[3], VALUE[4]));
        this.signedOutPages = new HttpApiJson.Fragment[] {new HttpApiJson.Fragment(signedOutRest(false)),
            new HttpApiJson.Fragment(signedOutRest(true))};
    }

    /** Stand-ins for a page's values while its markup is rendered once: characters no markup here contains. */
    private static final String[] VALUE = {"\u0000v0\u0000", "\u0000v1\u0000", "\u0000v2\u0000", "\u0000v3\u0000",
        "\u0000v4\u0000"};

    /** {@code rendered} split at the stand-ins, which must each occur once and in order, between markup. */
    private static HttpApiJson.Fragment[] markupAround(String rendered) {
        HttpApiJson.Fragment[] markup = new HttpApiJson.Fragment[VALUE.length + 1];
        int from = 0;
        for (int i = 0; i < VALUE.length; i++) {
            int at = rendered.indexOf(VALUE[i], from);
            if (at < 0 || rendered.indexOf(VALUE[i], at + 1) >= 0) {
                throw new IllegalStateException("page markup must hold value " + i + " exactly once, in order");
            }
            markup[i] = new HttpApiJson.Fragment(rendered.substring(from, at));
            from = at + VALUE[i].length();
        }
        markup[VALUE.length] = new HttpApiJson.Fragment(rendered.substring(from));
        if (markup[VALUE.length].text().contains("\u0000")) {
            throw new IllegalStateException("page markup holds a stand-in out of order");
        }
        return markup;
    }

    /**
     * {@code GET /} without a session; {@code signedOut} adds the one-line notice after a logout. Both pages
     * hold no value, so each is rendered once per container ({@link #signedOutPages}).
     */
    public HttpResponse signedOut(boolean signedOut) {
        return HttpResponse.html(200, top, signedOutPages[signedOut ? 1 : 0]).csp(csp);
    }

    private String signedOutRest(boolean signedOut) {
        return rest(null, siteName, (signedOut ? "<p class=\"notice\" id=\"notice\" role=\"status\">"
                + esc("signedOut.notice") + "</p>" : "")
                + "<p>" + esc("signedOut.lead") + "</p>"
                + "<div class=\"actions\"><a class=\"google\" id=\"login\" href=\"" + LOGIN + "\">"
                + esc("signedOut.button") + "</a></div>");
    }

    /**
     * {@code GET /} with a session: who is signed in, and the Sign out button. The page is
     * {@link #signedInRest} with this user's values; its markup around them was rendered and split once per
     * container ({@link #signedInMarkup}), so a response escapes only the values.
     */
    public HttpResponse signedIn(String email, String name, String picture, String csrfToken) {
        String[] values = signedInValues(email, name, picture, csrfToken);
        HttpApiJson.Fragment[] markup = signedInMarkup;
        Object[] pieces = new Object[2 + 2 * values.length];
        pieces[0] = top;
        for (int i = 0; i < values.length; i++) {
            pieces[1 + 2 * i] = markup[i];
            pieces[2 + 2 * i] = values[i];
        }
        pieces[pieces.length - 1] = markup[values.length];
        return HttpResponse.html(200, pieces).csp(csp);
    }

    /**
     * The signed-in page's five values, escaped, in {@link #signedInRest}'s order: the avatar's initials, its
     * picture, the name's paragraph, the e-mail address, the CSRF token.
     */
    private static String[] signedInValues(String email, String name, String picture, String csrfToken) {
        boolean hasName = name != null && !name.isBlank();
        String initials = Html.escape(initials(hasName ? name : email));
        // data-initials: the stylesheet shows them over a picture that fails to load (no script needed).
        String img = HttpsUrl.parse(picture)
                .map(u -> "<img src=\"" + Html.escape(u.toString()) + "\" alt=\"\" data-initials=\"" + initials
                        + "\" width=\"64\" height=\"64\" referrerpolicy=\"no-referrer\">")
                .orElse("");
        String nameBlock = hasName ? "<p id=\"name\"><strong>" + Html.escape(name) + "</strong></p>" : "";
        // As signedInRest places them: csrf as signOutForm's escape would give it, the others as they are.
        return new String[] {initials, img, nameBlock, Html.escape(email), Html.escape(csrfToken)};
    }

    /**
     * The signed-in page rendered whole, in one pass with this user's values in place, as it was before its
     * markup was split: the text {@link #signedIn} must give from its split markup. Only tests use it, as
     * the reference the cached markup is checked against.
     */
    String signedInRenderedWhole(String email, String name, String picture, String csrfToken) {
        String[] v = signedInValues(email, name, picture, csrfToken);
        // The token unescaped: signOutForm escapes it, as it does for every other page.
        return top.text() + signedInRest(v[0], v[1], v[2], v[3], csrfToken);
    }

    /** A signed-out page rendered whole, as {@link #signedInRenderedWhole} is: the reference for tests. */
    String signedOutRenderedWhole(boolean signedOut) {
        return top.text() + signedOutRest(signedOut);
    }

    /**
     * The signed-in page after {@link #top}, each value placed as given (escaped markup, or a stand-in): the
     * avatar's initials, its picture, the name's paragraph, the e-mail address, the CSRF token.
     */
    private String signedInRest(String initials, String img, String nameBlock, String email, String csrfToken) {
        return rest(text.get("signedIn.heading"), text.get("signedIn.heading"),
                "<div class=\"who\"><div class=\"avatar\" aria-hidden=\"true\"><span>"
                + initials + "</span>" + img + "</div><div>"
                + nameBlock
                + "<p id=\"who\">" + esc("signedIn.as") + " <span id=\"email\">" + email + "</span></p>"
                + "</div></div>"
                + "<div class=\"actions\">" + signOutForm(csrfToken, "signedIn.signOut")
                + "<a class=\"button secondary\" id=\"sessions-link\" href=\"" + SESSIONS + "\">"
                + esc("signedIn.sessions") + "</a></div>");
    }

    /** {@code GET /logout} with a session: asks first, so a link alone can never sign anyone out. */
    public HttpResponse confirmSignOut(String csrfToken) {
        return page(200, text.get("confirm.heading"), text.get("confirm.heading"),
                "<p>" + esc("confirm.lead") + "</p>"
                + "<div class=\"actions\">" + signOutForm(csrfToken, "confirm.signOut")
                + "<a class=\"button secondary\" id=\"cancel\" href=\"" + HOME + "\">" + esc("confirm.cancel") + "</a></div>");
    }

    /**
     * The page for a {@link Failure}: what happened in plain words, the next step as a button, the reason
     * code and request id small, for a support request. {@code detail} is shown escaped when given.
     */
    public HttpResponse error(Failure failure, String detail, String requestId) {
        String key = "failure." + failure.reason();
        String title = text.get(key + ".title");
        String next = text.get(key + ".next");
        String href = next.equals("login") ? LOGIN : HOME;
        return page(failure.status(), title, title,
                "<p id=\"error\">" + esc(key + ".message") + "</p>"
                + (detail == null || detail.isBlank() ? "" : "<p id=\"detail\" class=\"muted\">" + Html.escape(detail) + "</p>")
                + "<div class=\"actions\"><a class=\"button\" id=\"next\" href=\"" + href + "\">"
                + esc("next." + next) + "</a></div>"
                + "<p class=\"meta\" id=\"reference\">"
                + Html.escape(text.get("error.reference", "\u0000", "\u0001"))
                        .replace("\u0000", "<code id=\"reason\">" + Html.escape(failure.reason()) + "</code>")
                        .replace("\u0001", "<code id=\"request-id\">" + Html.escape(requestId) + "</code>")
                + "</p>");
    }

    /**
     * The error page for a failed request, with its user detail. Retry-After says how long the dependency is
     * expected to be down, which holds even when this particular attempt is spent (the page then says to
     * start again, not reload).
     */
    public HttpResponse failure(SignInException e, String requestId) {
        Failure failure = e.failure();
        HttpResponse response = error(failure, e.userDetail(), requestId);
        return failure.retryAfterSeconds() > 0
                ? response.header("retry-after", Integer.toString(failure.retryAfterSeconds()))
                : response;
    }

    /**
     * {@code GET /sessions}: the user's live sessions, newest first - device, when it started and was last
     * used (coarse), this browser's marked; an End button for every other one (Sign out is for this one),
     * and Sign out everywhere. Both forms carry the session's CSRF token.
     */
    public HttpResponse sessions(List<UserSessions.Listed> rows, String csrfToken, Instant now) {
        StringBuilder list = new StringBuilder("<ul class=\"sessions\" id=\"sessions\">");
        for (UserSessions.Listed s : rows) {
            list.append("<li class=\"session").append(s.current() ? " current" : "").append("\"><div>")
                    .append("<p><strong class=\"device\">")
                    .append(Html.escape(s.device() == null ? text.get("sessions.unknownDevice") : s.device()))
                    .append("</strong>")
                    .append(s.current() ? " <span class=\"this\">" + esc("sessions.thisBrowser") + "</span>" : "")
                    .append("</p><p class=\"muted\">")
                    .append(Html.escape(text.get("sessions.times", "\u0000", "\u0001"))
                            .replace("\u0000", time("started", s.createdAt(), now))
                            .replace("\u0001", time("last-used", s.lastSeenAt(), now)))
                    .append("</p></div>");
            if (!s.current()) {
                list.append("<form method=\"post\" action=\"" + END_SESSION + "\">").append(hidden("csrf", csrfToken))
                        .append(hidden("session", s.handle()))
                        .append("<button class=\"button secondary end\" type=\"submit\">").append(esc("sessions.end"))
                        .append("</button></form>");
            }
            list.append("</li>");
        }
        list.append("</ul>");
        return page(200, text.get("sessions.heading"), text.get("sessions.heading"),
                "<p>" + esc("sessions.lead") + "</p>" + list
                + "<div class=\"actions\"><form method=\"post\" action=\"/logout\">" + hidden("csrf", csrfToken)
                + hidden("everywhere", "true") + "<button class=\"button\" id=\"sign-out-everywhere\" type=\"submit\">"
                + esc("sessions.everywhere") + "</button></form>"
                + "<a class=\"button secondary\" href=\"" + HOME + "\">" + esc("next.home") + "</a></div>");
    }

    /** Coarse on purpose - "today", "yesterday", "3 days ago": enough to recognise a session, no more. */
    private String time(String cssClass, Instant then, Instant now) {
        long days = Duration.between(then, now).toDays();
        String words = days <= 0 ? text.get("sessions.today") : days == 1 ? text.get("sessions.yesterday")
                : text.get("sessions.daysAgo", Long.toString(days));
        return "<time class=\"" + cssClass + "\" datetime=\"" + SessionsPage.iso(then) + "\">" + Html.escape(words)
                + "</time>";
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + Html.escape(value) + "\">";
    }

    /** The CSP every page is served with: the default one, plus this stylesheet's hash. */
    public String csp() {
        return csp;
    }

    private String signOutForm(String csrfToken, String label) {
        return "<form method=\"post\" action=\"/logout\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"" + Html.escape(csrfToken) + "\">"
                + "<button class=\"button\" id=\"logout\" type=\"submit\">" + esc(label) + "</button></form>";
    }

    /** One page: {@code heading} null means the site name is the heading and the whole title. */
    private HttpResponse page(int status, String heading, String h1, String content) {
        return HttpResponse.html(status, top, rest(heading, h1, content)).csp(csp);
    }

    /** A page after {@link #top}: its title, heading and {@code content}, placed as given. */
    private String rest(String heading, String h1, String content) {
        String title = heading == null ? siteName : text.get("page.title", heading, siteName);
        boolean showName = heading != null && named;
        String site = !showName && logo.isEmpty() ? ""
                : "<div class=\"site\">" + logo.map(u -> "<img src=\"" + Html.escape(u.toString()) + "\" alt=\"\">").orElse("")
                        + (showName ? "<span>" + Html.escape(siteName) + "</span>" : "") + "</div>";
        return Html.escape(title) + "</title></head><body><main>" + site
                + "<h1>" + Html.escape(h1) + "</h1>" + content + "</main></body></html>";
    }

    private String esc(String key) {
        return Html.escape(text.get(key).replace("{provider}", providerName));
    }

    /**
     * Up to two letters for the avatar: the first of the first and last words ("Ada Lovelace" -> "AL"), the
     * words being what {@code [\\s@._-]+} separates (a loop, not a split: on every signed-in page). A name of
     * separators only ("-") has no word and gets "?", as a blank one does; the split made that an error page.
     */
    static String initials(String who) {
        if (who == null || who.isBlank()) {
            return "?";
        }
        String s = who.strip();
        int first = -1;
        int last = -1;
        int words = isWordSeparator(s.charAt(0)) ? 1 : 0; // a leading separator: split's empty first word
        for (int i = 0; i < s.length(); i++) {
            if (!isWordSeparator(s.charAt(i)) && (i == 0 || isWordSeparator(s.charAt(i - 1)))) {
                first = first < 0 ? i : first;
                last = i;
                words++;
            }
        }
        if (last < 0) {
            return "?";
        }
        StringBuilder out = new StringBuilder(4);
        if (first == 0) {
            appendFirstLetter(out, s, first);
        }
        if (words > 1 && !who.contains("@")) {
            appendFirstLetter(out, s, last);
        }
        return out.isEmpty() ? "?" : out.toString().toUpperCase(java.util.Locale.ROOT);
    }

    /** {@code \\s} (Java's: ASCII whitespace), {@code @}, {@code .}, {@code _}, {@code -}. */
    private static boolean isWordSeparator(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r' || c == '@' || c == '.'
                || c == '_' || c == '-';
    }

    private static void appendFirstLetter(StringBuilder out, String s, int at) {
        int cp = s.codePointAt(at);
        if (Character.isLetterOrDigit(cp)) {
            out.appendCodePoint(cp);
        }
    }

    /** pages.css without comments and indentation, with the brand colour in place (the local stand-in uses it too). */
    public static String stylesheet(String brandColor) {
        String raw;
        try (InputStream in = Pages.class.getResourceAsStream("pages.css")) {
            if (in == null) {
                throw new IllegalStateException("pages.css is missing from the classpath");
            }
            raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder out = new StringBuilder(raw.length());
        int i = 0;
        while (i < raw.length()) {
            int comment = raw.indexOf("/*", i);
            int end = comment < 0 ? raw.length() : comment;
            for (String line : raw.substring(i, end).split("\n")) {
                out.append(line.strip());
            }
            i = comment < 0 ? raw.length() : raw.indexOf("*/", comment) + 2;
        }
        return out.toString().replace("BRAND_COLOR", brandColor);
    }

    static String sha256(String css) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(css.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
