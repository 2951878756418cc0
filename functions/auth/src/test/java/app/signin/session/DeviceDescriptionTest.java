package app.signin.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real User-Agent strings of the browsers with real share, and what the session list says for each. */
class DeviceDescriptionTest {

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36|Chrome on macOS",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0|Edge on Windows",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0|Firefox on Windows",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1|Safari on iOS",
        "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1|Chrome on iOS",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15|Safari on macOS",
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36|Chrome on Android",
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36|Samsung Internet on Android",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0|Opera on Windows",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36|Chrome on Linux",
        "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36|Chrome on ChromeOS",
        "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0|Firefox on Linux",
        "curl/8.5.0|Unknown device",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64)|Browser on Windows",
    })
    void of_namesBrowserAndOsFamily(String userAgent, String expected) {
        assertThat(DeviceDescription.of(userAgent)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(value = {"''", "'   '"})
    void of_withoutAUserAgent_isUnknown(String userAgent) {
        assertThat(DeviceDescription.of(userAgent)).isEqualTo("Unknown device");
        assertThat(DeviceDescription.of(null)).isEqualTo("Unknown device");
    }

    @org.junit.jupiter.api.Test
    void of_looksOnlyAtTheStartOfAnOverlongHeader() {
        String padded = "Mozilla/5.0 (" + "x".repeat(DeviceDescription.MAX_INSPECTED) + ") Firefox/133.0 Windows";

        assertThat(DeviceDescription.of(padded)).isEqualTo("Unknown device");
    }
}
