package app.signin.conformance.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.net.WebOrigin;
import app.signin.testing.Browser;
import app.signin.testing.ProviderSignIn;
import app.signin.testing.SiteUnderTest;
import app.signin.web.PublicOrigin;
import app.signin.web.ReturnTo;

/**
 * {@code return_to} is attacker-controlled. Every payload below - each the parameter's value after one
 * URL decoding, i.e. what the application sees - must end on the site's own origin: vetted by
 * {@link ReturnTo} and emitted by {@link PublicOrigin#url}, then again through a whole login, where the
 * callback's {@code Location} is the redirect a browser would follow.
 *
 * <p>"Own origin" is checked the way a browser would read the header: tabs and newlines removed,
 * backslashes taken as slashes, and then the path must not start with {@code //} (scheme-relative).
 */
class OpenRedirectTest {
    static final String HOST = Browser.DOMAIN;
    static final String EVIL = "evil.example";

    /** Open-redirect payloads: schemes, slashes, backslashes, encodings, whitespace, userinfo, look-alikes. */
    static final List<String> PAYLOADS = List.of(
            // absolute URLs and other schemes
            "https://" + EVIL + "/",
            "http://" + EVIL,
            "HTTPS://" + EVIL,
            "ftp://" + EVIL + "/",
            "https:" + EVIL,
            "https:/" + EVIL,
            "https:\\\\" + EVIL,
            "javascript:alert(document.domain)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "javascript://%0aalert(1)",
            "data:text/html,<script>alert(1)</script>",
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
            "vbscript:msgbox(1)",
            // scheme-relative and slash games
            "//" + EVIL,
            "//" + EVIL + "/path",
            "///" + EVIL,
            "////" + EVIL,
            "/\\" + EVIL,
            "\\/" + EVIL,
            "\\\\" + EVIL,
            "/\\/" + EVIL,
            "///\\" + EVIL,
            "/.//" + EVIL,
            "/./" + EVIL,
            "/../" + EVIL,
            "/..//" + EVIL,
            "//" + EVIL + ":443/",
            "//127.0.0.1/",
            "//[::1]/",
            "//0x7f.0x0.0x0.0x1/",
            // encoded slashes, backslashes, dots - and double encoding
            "/%2F" + EVIL,
            "/%2F%2F" + EVIL,
            "/%2f%2f" + EVIL,
            "%2F%2F" + EVIL,
            "/%5C" + EVIL,
            "/%5c%5c" + EVIL,
            "%5C%5C" + EVIL,
            "/%252F%252F" + EVIL,
            "/%255C" + EVIL,
            "/%2e%2e/" + EVIL,
            "/.%2F/" + EVIL,
            "/%u2215" + EVIL,
            "/%", "/%2", "/%zz",
            // whitespace and control characters that browsers strip or split on
            "/%09/" + EVIL,
            "/\t/" + EVIL,
            "/\n/" + EVIL,
            "/\r\n/" + EVIL,
            "/ /" + EVIL,
            "/%20/" + EVIL,
            "/%00/" + EVIL,
            "/\u0000/" + EVIL,
            "/\u000b/" + EVIL,
            "/\u00a0/" + EVIL,
            "/\u200b/" + EVIL,
            "%09//" + EVIL,
            // header injection
            "/%0d%0aSet-Cookie:%20session=planted",
            "/\r\nSet-Cookie: session=planted",
            "/\r\nLocation: https://" + EVIL,
            // userinfo and look-alike hosts
            "https://" + HOST + "@" + EVIL + "/",
            "//" + HOST + "@" + EVIL,
            "https://" + HOST + "." + EVIL + "/",
            "https://" + EVIL + "\\@" + HOST + "/",
            "https://" + EVIL + "#@" + HOST + "/",
            "@" + EVIL,
            EVIL,
            "https://" + HOST.replace('a', '\u0430') + "/",
            // unicode slashes and dots
            "/\uff0f" + EVIL,
            "\uff0f\uff0f" + EVIL,
            "/%EF%BC%8F%EF%BC%8F" + EVIL,
            "/\u2044" + EVIL,
            "/\u3002" + EVIL,
            // very long and fragment tricks
            "/" + "a".repeat(600),
            "//" + EVIL + "/" + "a".repeat(5000),
            "#//" + EVIL,
            "/#//" + EVIL,
            "?next=//" + EVIL);

    /** A sibling site configured in ALLOWED_RETURN_ORIGINS. */
    static final String SIBLING_HOST = "app.example.com";
    static final String SIBLING = "https://" + SIBLING_HOST;
    static final Set<WebOrigin> SIBLINGS = Set.of(WebOrigin.parseOrigin(SIBLING).orElseThrow());

    /**
     * Look-alikes of the sibling's origin: each must end on our own origin, never the sibling's and never
     * anywhere else - the browser would take every one of them somewhere other than the sibling.
     */
    static final List<String> SIBLING_LOOK_ALIKES = List.of(
            SIBLING + "." + EVIL + "/",
            SIBLING + "@" + EVIL + "/",
            "https://" + EVIL + "@" + SIBLING_HOST + ".." + "/",
            SIBLING + ":8443/",
            SIBLING + ":443@" + EVIL + "/",
            "http://" + SIBLING_HOST + "/",
            "wss://" + SIBLING_HOST + "/",
            SIBLING + "\\@" + EVIL + "/",
            SIBLING + "%2F@" + EVIL + "/",
            SIBLING + "%40" + EVIL + "/",
            "https://" + SIBLING_HOST.replace('a', '\u0430') + "/",
            "https://" + SIBLING_HOST.replace('p', '\u0440') + "/",
            "https://xn--pp-8kc.example.com/",
            "https://" + SIBLING_HOST + "\u3002" + EVIL + "/",
            "https://" + SIBLING_HOST.replace(".", "%2E") + "/",
            "https:" + SIBLING_HOST + "/",
            "https:/" + SIBLING_HOST + "/",
            "https:///" + EVIL + "/" + SIBLING_HOST,
            "ht\ttps://" + SIBLING_HOST + "/",
            "https://" + SIBLING_HOST + "\t." + EVIL + "/",
            " " + SIBLING + "/",
            "//" + SIBLING_HOST + "/",
            "https://" + EVIL + "/" + SIBLING,
            "https://" + EVIL + "#" + SIBLING,
            "https://" + EVIL + "?" + SIBLING,
            SIBLING + "//" + EVIL + "/",
            SIBLING + "/%2F%2F" + EVIL,
            SIBLING + "/\\" + EVIL,
            SIBLING + "/../" + EVIL,
            "https://" + SIBLING_HOST + "./",
            "https://0x7f.0.0.1/");

    static SiteUnderTest site;
    /** The same site with the sibling in ALLOWED_RETURN_ORIGINS. */
    static SiteUnderTest withSibling;

    @BeforeAll
    static void site() {
        site = SiteUnderTest.builder().inMemory().start();
        withSibling = SiteUnderTest.builder().inMemory().env("ALLOWED_RETURN_ORIGINS", SIBLING).start();
    }

    @AfterAll
    static void stop() {
        site.close();
        withSibling.close();
    }

    @Test
    void returnTo_onTheSibling_throughAWholeLogin_redirectsThere() {
        Browser browser = withSibling.browser();
        APIGatewayV2HTTPResponse done = withSibling.login(browser, "?return_to="
                + URLEncoder.encode(SIBLING + "/dashboard?tab=1", StandardCharsets.UTF_8),
                "traveller", ProviderSignIn.user("traveller", "tess@example.com"));
        assertThat(done.getStatusCode()).isEqualTo(303);
        assertThat(done.getHeaders().get("location")).isEqualTo(SIBLING + "/dashboard?tab=1");
    }

    /** Every look-alike through login, provider and callback of the site that has the sibling configured. */
    @ParameterizedTest
    @MethodSource("siblingLookAlikes")
    void returnTo_lookAlikesOfTheSibling_throughAWholeLogin_redirectToTheSitesOwnOrigin(String payload) {
        Browser browser = withSibling.browser();
        APIGatewayV2HTTPResponse done = withSibling.login(browser, "?return_to="
                + URLEncoder.encode(payload, StandardCharsets.UTF_8),
                "traveller", ProviderSignIn.user("traveller", "tess@example.com"));
        assertThat(done.getStatusCode()).isEqualTo(303);
        assertOwnOrigin(done.getHeaders().get("location"));
    }

    @Test
    void thereAreAtLeastFiftyDistinctPayloads() {
        assertThat(PAYLOADS).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(50);
    }

    @ParameterizedTest
    @MethodSource("payloads")
    void returnTo_endsOnTheSitesOwnOrigin(String payload) {
        PublicOrigin origin = new PublicOrigin("https", HOST);
        String vetted = ReturnTo.sanitize(payload);
        assertOwnOrigin(origin.url(vetted));
    }

    /** Every fourth payload, and every header-injection one, through login, provider and callback. */
    @ParameterizedTest
    @MethodSource("roundTripSample")
    void returnTo_throughAWholeLogin_redirectsToTheSitesOwnOrigin(String payload) {
        Browser browser = site.browser();
        APIGatewayV2HTTPResponse done = site.login(browser, "?return_to=" + URLEncoder.encode(payload, StandardCharsets.UTF_8),
                "traveller", ProviderSignIn.user("traveller", "tess@example.com"));
        assertThat(done.getStatusCode()).isEqualTo(303);
        assertOwnOrigin(done.getHeaders().get("location"));
        assertThat(done.getCookies()).allMatch(c -> !c.contains("planted"));
    }

    @ParameterizedTest
    @MethodSource("payloads")
    void returnTo_withASiblingConfigured_everyPayloadStillEndsOnTheSitesOwnOrigin(String payload) {
        PublicOrigin origin = new PublicOrigin("https", HOST);
        assertOwnOrigin(origin.url(ReturnTo.sanitize(payload, SIBLINGS)));
    }

    /** The payload list again, each aimed at the sibling's host instead of ours: ours or the sibling's, never elsewhere. */
    @ParameterizedTest
    @MethodSource("payloads")
    void returnTo_payloadsAimedAtTheSibling_endOnOurOriginOrExactlyOnTheSibling(String payload) {
        PublicOrigin origin = new PublicOrigin("https", HOST);
        String location = origin.url(ReturnTo.sanitize(payload.replace(HOST, SIBLING_HOST), SIBLINGS));
        if (location.startsWith(SIBLING + "/")) {
            assertOnOrigin(location, SIBLING_HOST);
        } else {
            assertOwnOrigin(location);
        }
    }

    @ParameterizedTest
    @MethodSource("siblingLookAlikes")
    void returnTo_lookAlikesOfTheSibling_endOnTheSitesOwnOrigin(String payload) {
        PublicOrigin origin = new PublicOrigin("https", HOST);
        assertOwnOrigin(origin.url(ReturnTo.sanitize(payload, SIBLINGS)));
    }

    @Test
    void returnTo_onTheSibling_isKept_inTheFormABrowserReadsIt() {
        PublicOrigin origin = new PublicOrigin("https", HOST);
        assertThat(origin.url(ReturnTo.sanitize(SIBLING + "/dashboard?tab=1", SIBLINGS)))
                .isEqualTo(SIBLING + "/dashboard?tab=1");
        // Upper case and the default port are the same origin to a browser, so the same to us.
        assertThat(origin.url(ReturnTo.sanitize("HTTPS://APP.EXAMPLE.COM:443/x", SIBLINGS)))
                .isEqualTo(SIBLING + "/x");
    }

    @Test
    void genuineSameOriginPaths_surviveUnchanged() {
        for (String path : List.of("/", "/dashboard", "/dashboard?tab=1&x=y", "/a/b/c", "/@me", "/docs/a%2Bb")) {
            assertThat(ReturnTo.sanitize(path)).isEqualTo(path);
        }
    }

    static Stream<String> payloads() {
        return PAYLOADS.stream();
    }

    static Stream<String> siblingLookAlikes() {
        return SIBLING_LOOK_ALIKES.stream();
    }

    static Stream<String> roundTripSample() {
        return IntStream.range(0, PAYLOADS.size())
                .filter(i -> i % 4 == 0 || PAYLOADS.get(i).toLowerCase(java.util.Locale.ROOT).contains("set-cookie")
                        || PAYLOADS.get(i).contains("Location"))
                .mapToObj(PAYLOADS::get);
    }

    /**
     * {@code location} is {@code https://<our host>} followed by a plain path that a browser cannot
     * reinterpret as another host.
     */
    static void assertOwnOrigin(String location) {
        assertOnOrigin(location, HOST);
    }

    static void assertOnOrigin(String location, String host) {
        String expectedOrigin = "https://" + host;
        assertThat(location).startsWith(expectedOrigin + "/");
        String path = location.substring(expectedOrigin.length());
        assertThat(path).as("only printable URL characters").matches("/[A-Za-z0-9._~!$&'()*+,;=:@/?%-]*");
        String asBrowserReadsIt = path.replaceAll("[\\t\\n\\r]", "").replace('\\', '/');
        assertThat(asBrowserReadsIt).doesNotStartWith("//");
        URI uri = URI.create(location);
        assertThat(uri.getScheme()).isEqualTo("https");
        assertThat(uri.getRawAuthority()).isEqualTo(host);
        assertThat(uri.getRawUserInfo()).isNull();
    }
}
