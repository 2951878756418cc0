package app.signin.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import app.signin.config.Branding;
import app.signin.oidc.Provider;
import app.signin.error.Failure;

/**
 * What every page promises whatever the claims say: text escaped, only https pictures, one h1, lang set,
 * no script, and a CSP that allows exactly the stylesheet the page carries.
 */
class PagesTest {
    static final Pages PAGES = new Pages(Branding.DEFAULT);
    static final Pattern STYLE = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL);

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "http://example.com/a.png", "data:image/png;base64,AAAA",
            "//evil.example/a.png", "https:///nohost.png", "https://user:pw@example.com/a.png", " https://example.com/a.png",
            "HTTPS", "", "vbscript:msgbox", "https://exa mple.com/a.png"})
    void signedIn_withAPictureThatIsNotAPlainHttpsUrl_showsNoImage(String picture) {
        String html = PAGES.signedIn("a@example.com", "Ada Lovelace", picture, "t").body();
        assertThat(html).doesNotContain("<img").contains("<span>AL</span>");
    }

    @Test
    void signedIn_withAnHttpsPicture_showsItOverTheInitials_withoutReferrer() {
        String html = PAGES.signedIn("a@example.com", "Ada Lovelace", "https://lh3.example.com/a.png?sz=64", "t").body();
        assertThat(html).contains("<span>AL</span><img src=\"https://lh3.example.com/a.png?sz=64\" alt=\"\" data-initials=\"AL\"")
                .contains("referrerpolicy=\"no-referrer\"");
    }

    @Test
    void signedIn_withAPictureUrlTryingToLeaveTheAttribute_staysInsideIt() {
        String html = PAGES.signedIn("a@example.com", "A", "https://example.com/a.png?\"onerror=\"alert(1)", "t").body();
        assertThat(html).doesNotContain("\"onerror=").doesNotContain("onerror=\"alert");
    }

    @Test
    void signedIn_escapesNameAndEmail_andNeverRendersThemAsMarkup() {
        String html = PAGES.signedIn("<b>x</b>@example.com", "<script>alert(1)</script>", null, "\"><img src=x>").body();
        assertThat(html).doesNotContain("<script").doesNotContain("<b>x").doesNotContain("<img src=x>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("&lt;b&gt;x&lt;/b&gt;@example.com");
    }

    @Test
    void everyPage_hasLangOneH1NoScript_andACspNamingItsStylesheetsHash() throws Exception {
        List<HttpResponse> pages = List.of(PAGES.signedOut(false), PAGES.signedOut(true),
                PAGES.signedIn("a@example.com", "Ada", "https://example.com/a.png", "t"), PAGES.confirmSignOut("t"),
                PAGES.error(Failure.STATE_UNKNOWN, "detail <x>", "req-1"), PAGES.error(Failure.NOT_FOUND, null, "req-2"));
        for (HttpResponse page : pages) {
            String html = page.body();
            assertThat(html).startsWith("<!doctype html><html lang=\"en\">").doesNotContainIgnoringCase("<script")
                    .doesNotContain(" style=").doesNotContain("<x>");
            assertThat(Pattern.compile("<h1>").matcher(html).results().count()).as("h1 count").isEqualTo(1);
            Matcher css = STYLE.matcher(html);
            assertThat(css.find()).isTrue();
            String hash = java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(css.group(1).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertThat(page.csp()).contains("style-src 'sha256-" + hash + "'").doesNotContain("unsafe-inline")
                    .doesNotContain("script-src").contains("default-src 'none'");
        }
    }

    @Test
    void signedOut_saysSignedOutOnlyWhenAsked_andOffersTheGoogleButton() {
        assertThat(PAGES.signedOut(false).body()).doesNotContain("You have been signed out")
                .contains("<a class=\"google\" id=\"login\" href=\"/login\">Sign in with Google</a>");
        assertThat(PAGES.signedOut(true).body()).contains("role=\"status\">You have been signed out.</p>");
    }

    @Test
    void errorPage_offersTheNextStep_andShowsReasonAndRequestIdSmall() {
        String html = PAGES.error(Failure.STATE_UNKNOWN, null, "abc-123").body();
        assertThat(html).contains("<h1>This sign-in has expired</h1>")
                .contains("<a class=\"button\" id=\"next\" href=\"/login\">Start sign-in again</a>")
                .contains("<p class=\"meta\" id=\"reference\">Error <code id=\"reason\">state_unknown</code>"
                        + " \u00b7 request id <code id=\"request-id\">abc-123</code></p>");
        assertThat(PAGES.error(Failure.ACCESS_DENIED, null, "x").body()).contains("href=\"/\">Go to the start page</a>");
        assertThat(PAGES.error(Failure.STATE_UNKNOWN, null, "x").status()).isEqualTo(400);
    }

    @Test
    void failurePages_nameTheConfiguredProvider_GoogleForGooglesIssuer_theStandInOnLoopback() {
        Pages google = new Pages(Branding.DEFAULT, Provider.displayName(URI.create("https://accounts.google.com")));
        Pages local = new Pages(Branding.DEFAULT, Provider.displayName(URI.create("http://127.0.0.1:8081/default")));
        Pages other = new Pages(Branding.DEFAULT, Provider.displayName(URI.create("https://login.example.com/tenant")));
        assertThat(google.error(Failure.CODE_REJECTED, null, "x").body())
                .contains("The sign-in code was refused by Google (it may have expired or been used already).");
        assertThat(local.error(Failure.PROVIDER_UNAVAILABLE, null, "x").body())
                .contains("The sign-in service of the local stand-in for Google is not answering.");
        assertThat(other.error(Failure.EMAIL_NOT_VERIFIED, null, "x").body())
                .contains("The e-mail address of your account at login.example.com is not verified.");
        for (Failure f : Failure.values()) {
            String body = other.error(f, null, "x").body();
            assertThat(body).as(f.reason()).doesNotContain("{provider}").doesNotContain("Google");
            assertThat(f.message()).as(f.reason()).doesNotContain("Google");
        }
    }

    @Test
    void everyFailure_hasATitleAMessageAndANextStep_inTheBundle() {
        Messages text = Messages.bundled();
        for (Failure f : Failure.values()) {
            String key = "failure." + f.reason();
            assertThat(text.has(key + ".title")).as(key + ".title").isTrue();
            assertThat(text.has(key + ".message")).as(key + ".message").isTrue();
            assertThat(text.get(key + ".next")).as(key + ".next").isIn("login", "home");
        }
    }

    @Test
    void branding_nameLogoAndColour_appearEscaped_andTheColourChangesTheHash() {
        Pages branded = new Pages(new Branding(Optional.of("Acme & Co <Intranet>"),
                Optional.of(URI.create("https://cdn.example.com/logo.svg")), Optional.of("#8a1538")));
        HttpResponse page = branded.signedOut(false);
        assertThat(page.body()).contains("<title>Acme &amp; Co &lt;Intranet&gt;</title>")
                .contains("<h1>Acme &amp; Co &lt;Intranet&gt;</h1>")
                .contains("<img src=\"https://cdn.example.com/logo.svg\" alt=\"\">")
                .contains("--brand: #8a1538").contains("fill='%238a1538'");
        assertThat(branded.csp()).isNotEqualTo(PAGES.csp());
        assertThat(branded.confirmSignOut("t").body()).contains("<title>Sign out? \u00b7 Acme &amp; Co &lt;Intranet&gt;</title>")
                .contains("<span>Acme &amp; Co &lt;Intranet&gt;</span></div><h1>Sign out?</h1>");
        // Unbranded, the default name stays in the title only: no "Sign in" above "Sign out?".
        assertThat(PAGES.confirmSignOut("t").body()).contains("<title>Sign out? \u00b7 Sign in</title>")
                .contains("<main><h1>Sign out?</h1>");
    }

    /**
     * BRAND_COLOR is checked at init for contrast with the buttons' white label; the hovered button must not
     * undo that. A colour just past the threshold (#767676, 4.54:1) keeps AA contrast in every state the
     * stylesheet gives a brand-coloured button.
     */
    @Test
    void brandButton_onHover_keepsTheContrastTheInitCheckAccepted() {
        String justEnough = "#767676";
        assertThat(Branding.contrast(justEnough, Branding.BUTTON_TEXT)).isGreaterThanOrEqualTo(Branding.MIN_CONTRAST);
        String css = Pages.stylesheet(justEnough);
        Matcher hover = Pattern.compile("\\.button:hover\\s*\\{([^}]*)}").matcher(css);
        assertThat(hover.find()).as(".button:hover in pages.css").isTrue();
        Matcher brightness = Pattern.compile("brightness\\(([0-9.]+)\\)").matcher(hover.group(1));
        double factor = brightness.find() ? Double.parseDouble(brightness.group(1)) : 1.0;
        int rgb = Integer.parseInt(justEnough.substring(1), 16);
        StringBuilder hovered = new StringBuilder("#");
        for (int shift = 16; shift >= 0; shift -= 8) {
            hovered.append(String.format("%02x", Math.min(255, (int) Math.round(((rgb >> shift) & 0xff) * factor))));
        }
        assertThat(Branding.contrast(hovered.toString(), Branding.BUTTON_TEXT)).as("hovered " + hovered)
                .isGreaterThanOrEqualTo(Branding.MIN_CONTRAST);
    }

    @Test
    void initials_takeFirstAndLastWord_orTheMailboxesFirstLetter() {
        assertThat(Pages.initials("Ada King Lovelace")).isEqualTo("AL");
        assertThat(Pages.initials("bob@example.com")).isEqualTo("B");
        assertThat(Pages.initials("  ")).isEqualTo("?");
        assertThat(Pages.initials("<>")).isEqualTo("?");
        assertThat(Pages.initials("émile zola")).isEqualTo("ÉZ");
    }
}
