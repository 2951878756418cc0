package app.signin.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** SITE_NAME, SITE_LOGO_URL and BRAND_COLOR: checked at init, every problem naming its variable. */
class BrandingTest {

    static List<String> problems(Map<String, String> env) {
        return Branding.validate(new Env(env)).problems();
    }

    @Test
    void nothingSet_isTheDefault() {
        Checked<Branding> b = Branding.validate(new Env(Map.of()));
        assertThat(b.value()).isEqualTo(Branding.DEFAULT);
        assertThat(b.problems()).isEmpty();
    }

    @Test
    void aBrandColourTooLightForWhiteText_isRefused_namingTheVariableAndTheRatio() {
        assertThat(problems(Map.of(Branding.BRAND_COLOR, "#ffcc00"))).singleElement().asString()
                .startsWith("BRAND_COLOR #ffcc00 gives the white button text a contrast of 1.")
                .contains("WCAG AA needs 4.5:1");
        // Google's logo blue #4285f4 is 3.56:1: fine for a logo, too light under white text.
        assertThat(problems(Map.of(Branding.BRAND_COLOR, "#4285F4"))).singleElement().asString()
                .startsWith("BRAND_COLOR #4285f4 gives the white button text a contrast of 3.56:1");
    }

    @Test
    void aDarkEnoughBrandColour_isAccepted_inLowerCase() {
        Checked<Branding> b = Branding.validate(new Env(Map.of(Branding.BRAND_COLOR, "#8A1538")));
        assertThat(b.problems()).isEmpty();
        assertThat(b.value().brandColor()).contains("#8a1538");
    }

    @Test
    void aBrandColourNotWrittenRrggbb_isRefused() {
        for (String bad : List.of("red", "#fff", "#12345g", "rgb(0,0,0)", "0b57d0")) {
            assertThat(problems(Map.of(Branding.BRAND_COLOR, bad))).as(bad).singleElement().asString()
                    .startsWith("BRAND_COLOR must be a colour written #rrggbb");
        }
    }

    @Test
    void aLogoThatIsNotHttps_isRefused() {
        for (String bad : List.of("http://example.com/logo.png", "javascript:alert(1)", "/logo.png", "data:image/png,x")) {
            assertThat(problems(Map.of(Branding.SITE_LOGO_URL, bad))).as(bad).singleElement().asString()
                    .startsWith("SITE_LOGO_URL must be an https URL");
        }
        assertThat(problems(Map.of(Branding.SITE_LOGO_URL, "https://cdn.example.com/logo.svg"))).isEmpty();
    }

    @Test
    void aSiteNameTooLongOrWithControlCharacters_isRefused() {
        assertThat(problems(Map.of(Branding.SITE_NAME, "x".repeat(61)))).singleElement().asString().startsWith("SITE_NAME");
        assertThat(problems(Map.of(Branding.SITE_NAME, "a\u0000b"))).singleElement().asString().startsWith("SITE_NAME");
        assertThat(problems(Map.of(Branding.SITE_NAME, "Acme Intranet"))).isEmpty();
    }

    @Test
    void contrast_matchesWcagsWorkedValues() {
        assertThat(Branding.contrast("#000000", "#ffffff")).isEqualTo(21.0);
        assertThat(Branding.contrast("#777777", "#ffffff")).isBetween(4.47, 4.48);
    }
}
