package app.signin.local.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.sun.net.httpserver.HttpServer;

import app.signin.config.Config;
import app.signin.local.LocalRunner;
import app.signin.local.LocalSite;

/**
 * Single sign-on and API access in a real browser: a second site - a static page served by this test on
 * another loopback port, listed in ALLOWED_RETURN_ORIGINS - is where the sign-in returns to, and its script
 * calls the sign-in site's {@code /api/me} with {@code fetch(..., {credentials: "include"})} and shows the
 * user; the same page served from a port that is not listed is refused by the browser's CORS check. A
 * command-line client's bearer ID token, minted by the stand-in provider, gets {@code via: "bearer"} both
 * from plain HTTP and from the sibling page (a preflighted request with {@code Authorization}). The runner
 * also serves the example application ({@code ./dev --with examples/protected-api/template.yaml}), whose
 * route the same browser session reaches.
 *
 * <p>The sibling is {@code http://localhost:<other port>}: another origin but the same site, as
 * {@code app.example.com} is to {@code auth.example.com} - so the {@code SameSite=Lax} session cookie goes
 * with the credentialed fetch, exactly as in production.
 */
@ExtendWith(Chromium.class)
class SiblingSiteInBrowserTest {
    /** The sibling's page: one fetch of /api/me - with the bearer token in the fragment, or the cookie - shown in #who. */
    static final String PAGE = """
            <!doctype html><html lang="en"><meta charset="utf-8"><title>Sibling site</title>
            <p id="who">loading</p>
            <script>
            const token = location.hash.slice(1);
            const options = token ? {headers: {Authorization: "Bearer " + token}} : {credentials: "include"};
            fetch("SITE/api/me", options)
              .then(r => r.json().then(j => r.status + " " + (j.email || j.error) + " via " + (j.via || "-")))
              .then(text => { document.getElementById("who").textContent = text; },
                    () => { document.getElementById("who").textContent = "blocked"; });
            </script>
            """;

    static HttpServer sibling;
    static HttpServer unlisted;
    static LocalRunner.Running runner;
    static String site;

    @BeforeAll
    static void start() throws IOException {
        sibling = staticPage();
        unlisted = staticPage();
        runner = LocalRunner.start(Map.of(LocalRunner.PORT, "0",
                Config.ALLOWED_RETURN_ORIGINS, origin(sibling)), SignInInBrowserTest.findTemplate(),
                List.of(SignInInBrowserTest.findTemplate().resolveSibling("examples/protected-api/template.yaml")),
                System.out, Instant.now());
        site = runner.url().toString();
    }

    @AfterAll
    static void stop() {
        if (runner != null) {
            runner.close();
        }
        for (HttpServer server : new HttpServer[] {sibling, unlisted}) {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    @Test
    void signInReturnsToTheSibling_whosePageReadsTheUserFromApiMe_withTheCookie(ChromeDriver browser) {
        browser.get(origin(sibling) + "/");
        assertThat(who(browser)).as("signed out, the 401 is readable by a listed origin")
                .isEqualTo("401 not_authenticated via -");

        browser.get(site + "/login?return_to=" + URLEncoder.encode(origin(sibling) + "/", StandardCharsets.UTF_8));
        signInAtProvider(browser, "sibling@example.com");

        new WebDriverWait(browser, SignInInBrowserTest.WAIT).until(d -> d.getCurrentUrl().equals(origin(sibling) + "/"));
        assertThat(who(browser)).isEqualTo("200 sibling@example.com via session");

        browser.get(origin(unlisted) + "/");
        assertThat(who(browser)).as("an origin not in ALLOWED_RETURN_ORIGINS cannot read the answer").isEqualTo("blocked");

        // The example application's route, served beside the sign-in (./dev --with), behind the same authorizer.
        browser.get(site + "/whoami");
        assertThat(browser.findElement(By.tagName("body")).getText())
                .contains("\"email\":\"sibling@example.com\"").contains("\"via\":\"session\"");
    }

    @Test
    void aCliBearerToken_fromTheStandInProvider_isViaBearer_overHttp_andFromTheSiblingsPage(ChromeDriver browser)
            throws Exception {
        LocalSite cli = new LocalSite(runner.url());
        String token = cli.cliIdToken(runner.app().issuer(), runner.app().config().clientId(),
                runner.app().config().clientSecret().get(), "cli@example.com");

        HttpResponse<String> me = cli.getWithBearer("/api/me", token);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).matches("\\{\"authenticated\":true,\"sub\":\"cli@example.com\",\"email\":\"cli@example.com\","
                + "\"name\":\"[^\"]*\",\"via\":\"bearer\"\\}");

        browser.get(origin(sibling) + "/#" + token);
        assertThat(who(browser)).isEqualTo("200 cli@example.com via bearer");
        browser.get(origin(unlisted) + "/#" + token);
        assertThat(who(browser)).isEqualTo("blocked");
    }

    // --- helpers ------------------------------------------------------------------------------------------

    private static void signInAtProvider(ChromeDriver browser, String email) {
        new WebDriverWait(browser, SignInInBrowserTest.WAIT)
                .until(d -> !d.findElements(By.name("username")).isEmpty());
        browser.findElement(By.name("username")).sendKeys(email);
        browser.findElement(By.id("sign-in")).click();
    }

    /** The sibling page's answer, once its fetch has settled. */
    private static String who(ChromeDriver browser) {
        new WebDriverWait(browser, SignInInBrowserTest.WAIT)
                .until(d -> !"loading".equals(d.findElement(By.id("who")).getText()));
        return browser.findElement(By.id("who")).getText();
    }

    private static HttpServer staticPage() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = PAGE.replace("SITE", site).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/") ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static String origin(HttpServer server) {
        return "http://localhost:" + server.getAddress().getPort();
    }
}
