package app.signin.config;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

import app.signin.net.HttpsUrl;

/**
 * What a team changes to make the pages its own, without forking: the site's name, its logo and one
 * colour. Validated like the rest of the configuration, each problem naming its variable.
 *
 * <p>{@code BRAND_COLOR} is the background of the site's own buttons (Sign out, the next step on an error
 * page), whose label is white, in both colour schemes. A colour that gives white text less than WCAG AA's
 * 4.5:1 is refused at init: the alternative - a button nobody can read - would only show up in front of
 * users.
 *
 * @param siteName shown in every page's title and on the signed-out page's heading; empty means the
 *                 message bundle's default ("Sign in")
 * @param logoUrl  an https image shown above each page's heading
 * @param brandColor {@code #rrggbb}, lower case; empty means the built-in blue
 */
public record Branding(Optional<String> siteName, Optional<URI> logoUrl, Optional<String> brandColor) {
    public static final String SITE_NAME = "SITE_NAME";
    public static final String SITE_LOGO_URL = "SITE_LOGO_URL";
    public static final String BRAND_COLOR = "BRAND_COLOR";
    /** The label colour on brand-coloured buttons (pages.css). */
    public static final String BUTTON_TEXT = "#ffffff";
    /** WCAG 2.2 success criterion 1.4.3 (AA) for normal-size text. */
    public static final double MIN_CONTRAST = 4.5;
    static final int MAX_SITE_NAME = 60;

    public static final Branding DEFAULT = new Branding(Optional.empty(), Optional.empty(), Optional.empty());

    /**
     * The branding validator, in the style of {@link Validators}: reads the three variables and returns
     * them with one readable message per problem.
     */
    static Checked<Branding> validate(Env env) {
        Checked.Collector out = Checked.collect();
        Optional<String> name = env.optional(SITE_NAME);
        if (name.isPresent() && (name.get().length() > MAX_SITE_NAME || name.get().chars().anyMatch(Character::isISOControl))) {
            out.problem(SITE_NAME + " must be at most " + MAX_SITE_NAME + " characters of plain text");
            name = Optional.empty();
        }
        Optional<URI> logo = env.optional(SITE_LOGO_URL).flatMap(v -> {
            Optional<URI> url = HttpsUrl.parse(v);
            if (url.isEmpty()) {
                out.problem(SITE_LOGO_URL + " must be an https URL such as https://example.com/logo.svg");
            }
            return url;
        });
        Optional<String> color = env.optional(BRAND_COLOR).map(v -> v.toLowerCase(Locale.ROOT)).flatMap(c -> {
            if (!c.matches("#[0-9a-f]{6}")) {
                out.problem(BRAND_COLOR + " must be a colour written #rrggbb, such as #0b57d0");
                return Optional.empty();
            }
            double ratio = contrast(c, BUTTON_TEXT);
            if (ratio < MIN_CONTRAST) {
                out.problem(String.format(Locale.ROOT, "%s %s gives the white button text a contrast of %.2f:1; "
                        + "WCAG AA needs %.1f:1 - choose a darker colour", BRAND_COLOR, c, ratio, MIN_CONTRAST));
                return Optional.empty();
            }
            return Optional.of(c);
        });
        return out.result(new Branding(name, logo, color));
    }

    /** WCAG 2.2 contrast ratio of two {@code #rrggbb} colours: (L1 + 0.05) / (L2 + 0.05). */
    public static double contrast(String a, String b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(String hex) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        return 0.2126 * channel(rgb >> 16) + 0.7152 * channel(rgb >> 8) + 0.0722 * channel(rgb);
    }

    private static double channel(int value) {
        double c = (value & 0xff) / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
}
