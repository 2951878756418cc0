package app.signin.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Origins read as the WHATWG URL Standard reads them - the expected values are what a browser's
 * {@code new URL(x).origin} gives - or refused where a browser would read something we do not.
 */
class WebOriginTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "https://app.example.com,            https://app.example.com",
        "https://app.example.com/,           https://app.example.com",
        "HTTPS://APP.Example.COM/x,          https://app.example.com",
        "https://app.example.com:443/x,      https://app.example.com",
        "https://app.example.com:0443/x,     https://app.example.com",
        "https://app.example.com:/x,         https://app.example.com",
        "https://app.example.com:8443/x,     https://app.example.com:8443",
        "http://app.example.com:80/,         http://app.example.com",
        "http://127.0.0.1:3000/page?x=1,     http://127.0.0.1:3000",
        "https://xn--80ak6aa92e.com/,        https://xn--80ak6aa92e.com",
        "https://app.example.com?q=1,        https://app.example.com",
        "https://app.example.com#top,        https://app.example.com"})
    void parseAbsolute_readsTheOriginAsABrowserDoes(String url, String origin) {
        assertThat(WebOrigin.parseAbsolute(url)).get().extracting(s -> s.origin().serialize()).isEqualTo(origin);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://app.example.com@evil.test/",       // userinfo
        "https://evil.test\\@app.example.com/",     // a browser reads the backslash as a slash
        "https://app.example.com\\.evil.test/",
        "https:app.example.com",                     // a browser adds the slashes
        "https:/app.example.com",
        "https:///app.example.com",                  // a browser skips the third slash
        "ht\ttps://app.example.com",                 // a browser deletes tabs and newlines
        "https://app.exa\nmple.com",
        " https://app.example.com",
        "https://app.ex%61mple.com/",                // a browser percent-decodes the host
        "https://\u0430pp.example.com/",             // Cyrillic a: a browser maps it to xn--
        "https://fa\u00df.de/",                      // IDNA 2003 and UTS 46 disagree on this one
        "https://0x7f.0.0.1/",                       // a browser's IPv4 parser reads hex
        "https://127.1/",                            // and short forms
        "https://1.2.3.4.5/",
        "https://[::1]/",
        "https://app.example.com:65536/",
        "https://app.example.com:8x/",
        "https://app..example.com/",
        "https://app.example.com./",
        "https://*.example.com/",
        "javascript:alert(1)",
        "//app.example.com/",
        "/dashboard",
        "ftp://app.example.com/"})
    void parseAbsolute_refusesWhatABrowserWouldReadDifferently(String url) {
        assertThat(WebOrigin.parseAbsolute(url)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com/path", "https://app.example.com?x", "https://app.example.com#f"})
    void parseOrigin_refusesAnythingButAnOrigin(String value) {
        assertThat(WebOrigin.parseOrigin(value)).isEmpty();
    }
}
