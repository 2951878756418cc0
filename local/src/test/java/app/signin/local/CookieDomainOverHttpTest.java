package app.signin.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import app.signin.config.Config;

/**
 * {@code COOKIE_DOMAIN} over real HTTP, through the local runner serving the sign-in site and the example
 * API (its "other subdomain") beside it: the callback sets {@code __Secure-session} with
 * {@code Domain=example.test}, the example's route behind the shared authorizer reads it, and logout clears
 * it under the same Domain and ends it for the example's route too.
 *
 * <p>Why not Chromium with {@code --host-resolver-rules} here: a cookie-domain site needs a host name
 * within the domain, and outside loopback the configuration requires https, which the local runner does
 * not serve; the browser would then refuse a {@code Secure} cookie over plain http from such a name. So the
 * site is configured as {@code https://auth.example.test} and this test speaks to the runner directly,
 * reading the {@code Set-Cookie} headers a browser would get.
 */
class CookieDomainOverHttpTest {
    static final String SITE = "https://auth.example.test";
    static final String SHARED = "__Secure-session";
    static final Path TEMPLATE = ApiTemplate.find(Path.of(""));
    static final Path EXAMPLE = TEMPLATE.resolveSibling("examples/protected-api/template.yaml");

    static LocalRunner.Running runner;

    @BeforeAll
    static void startRunner() {
        runner = LocalRunner.start(Map.of(LocalRunner.PORT, "0", Config.PUBLIC_BASE_URL, SITE,
                Config.COOKIE_DOMAIN, "example.test", Config.ALLOWED_RETURN_ORIGINS, "https://app.example.test"),
                TEMPLATE, List.of(EXAMPLE), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                Instant.now());
    }

    @AfterAll
    static void stopRunner() {
        runner.close();
    }

    @Test
    void theSharedCookie_isSetForTheDomain_readByTheOtherApi_andClearedForAllByLogout() throws Exception {
        LocalSite browser = new LocalSite(runner.url());

        HttpResponse<String> callback = browser.signIn("shared@example.com");
        assertThat(callback.headers().allValues("set-cookie")).filteredOn(c -> c.startsWith(SHARED + "="))
                .singleElement().satisfies(c -> assertThat(c).contains("; Secure").contains("; HttpOnly")
                        .contains("; SameSite=Lax").endsWith("; Domain=example.test"));
        assertThat(browser.jar).containsOnlyKeys(SHARED);

        HttpResponse<String> whoami = browser.get("/whoami");
        assertThat(whoami.statusCode()).isEqualTo(200);
        assertThat(whoami.body()).contains("\"email\":\"shared@example.com\"").endsWith("\"via\":\"session\"}");

        Map<String, String> copied = Map.copyOf(browser.jar);
        HttpResponse<String> logout = browser.logout(SITE);
        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(logout.headers().allValues("set-cookie")).singleElement()
                .satisfies(c -> assertThat(c).startsWith(SHARED + "=;").contains("Max-Age=0").endsWith("; Domain=example.test"));
        browser.jar.putAll(copied);
        assertThat(browser.get("/whoami").statusCode()).as("the other API, with a copy of the cookie").isEqualTo(403);
    }
}
