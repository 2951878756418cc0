package app.signin.local.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import app.signin.config.Branding;
import app.signin.config.Config;
import app.signin.local.LocalRunner;
import app.signin.testing.TestDynamoDb;

/**
 * The whole sign-in in a real browser: headless Chromium against the local runner, backed by moto's
 * DynamoDB API and the stand-in provider, clicking and typing as a person would.
 */
@ExtendWith(Chromium.class)
class SignInInBrowserTest {
    /** The local runner's session cookie: plain http, so without the __Host- prefix. */
    static final String SESSION_COOKIE = "session";
    static final Duration WAIT = Duration.ofSeconds(20);

    static LocalRunner.Running runner;
    static String site;
    static Path repositoryRoot;

    @BeforeAll
    static void startRunner() {
        TestDynamoDb dynamo = TestDynamoDb.shared();
        Path template = findTemplate();
        repositoryRoot = template.getParent();
        runner = LocalRunner.start(Map.of(
                LocalRunner.PORT, "0",
                Config.DYNAMODB_ENDPOINT, dynamo.endpoint().toString(),
                Config.SESSION_TABLE, "browser-" + UUID.randomUUID().toString().substring(0, 8),
                // The README's pictures show where a team's name goes.
                Branding.SITE_NAME, "Example Intranet"),
                template, System.out, Instant.now());
        site = runner.url().toString();
    }

    @AfterAll
    static void stopRunner() {
        if (runner != null) {
            runner.close();
        }
    }

    @Test
    void signIn_reload_signOut_andTheOldCookieNoLongerWorks(ChromeDriver browser) throws IOException {
        browser.get(site + "/");
        browser.findElement(By.id("login")).click();
        signInAtProvider(browser, "alice@example.com");

        waitForUrl(browser, site + "/");
        assertThat(browser.findElement(By.id("email")).getText()).isEqualTo("alice@example.com");
        assertThat(browser.findElement(By.id("who")).getText()).startsWith("Signed in as");

        browser.navigate().refresh();
        assertThat(browser.findElement(By.id("email")).getText()).isEqualTo("alice@example.com");
        Cookie old = browser.manage().getCookieNamed(SESSION_COOKIE);
        assertThat(old).as("session cookie").isNotNull();
        assertThat(old.isHttpOnly()).isTrue();

        browser.findElement(By.id("logout")).click();
        // The page before and after is "/": wait for the signed-out page's login link, not for the URL.
        // (Not stalenessOf: Chromium may answer the old element with "Node ... does not belong to the
        // document" instead of a stale-element error, which the condition does not expect.)
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("login")));
        waitForUrl(browser, site + "/?signed_out=1");
        assertThat(browser.findElement(By.id("notice")).getText()).isEqualTo("You have been signed out.");
        assertThat(browser.findElement(By.id("login")).getText()).isEqualTo("Sign in with Google");
        assertThat(browser.manage().getCookieNamed(SESSION_COOKIE)).isNull();

        // Someone who kept a copy of the cookie gets nothing from it once the session has ended.
        browser.manage().addCookie(new Cookie.Builder(SESSION_COOKIE, old.getValue()).path("/")
                .isHttpOnly(true).isSecure(old.isSecure()).sameSite("Lax").build());
        browser.get(site + "/");
        assertThat(browser.findElement(By.id("login")).getText()).isEqualTo("Sign in with Google");
        assertThat(browser.findElements(By.id("notice"))).as("the notice only right after signing out").isEmpty();
        assertThat(browser.getPageSource()).doesNotContain("alice@example.com");
    }

    @Test
    void twoTabsStartingALoginAtOnce_bothEndSignedIn(ChromeDriver browser) {
        browser.get(site + "/login");
        waitForProviderPage(browser);
        String first = browser.getWindowHandle();
        browser.switchTo().newWindow(WindowType.TAB);
        browser.get(site + "/login");
        waitForProviderPage(browser);
        String second = browser.getWindowHandle();
        assertThat(browser.manage().getCookies()).as("one login-binding cookie per login in progress")
                .filteredOn(c -> c.getName().startsWith("login-")).hasSize(2);

        browser.switchTo().window(first);
        signInAtProvider(browser, "tabs@example.com");
        waitForUrl(browser, site + "/");
        assertThat(browser.findElement(By.id("email")).getText()).isEqualTo("tabs@example.com");

        browser.switchTo().window(second);
        signInAtProvider(browser, "tabs@example.com");
        waitForUrl(browser, site + "/");
        assertThat(browser.findElement(By.id("email")).getText()).isEqualTo("tabs@example.com");

        browser.switchTo().window(first);
        browser.navigate().refresh();
        assertThat(browser.findElement(By.id("email")).getText()).isEqualTo("tabs@example.com");
    }

    @Test
    void returnToDeepLink_survivesTheRoundTrip(ChromeDriver browser) {
        browser.get(site + "/login?return_to=/deep/link?x=1");
        signInAtProvider(browser, "deep@example.com");

        // The runner has no such page (the $default route's 404): what matters is that the sign-in came back to it.
        waitForUrl(browser, site + "/deep/link?x=1");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Page not found");
        browser.get(site + "/");
        assertThat(browser.findElement(By.id("email")).getText()).isEqualTo("deep@example.com");
    }

    /**
     * Every page a person can land on - signed out, the stand-in's sign-in page, signed in, the sign-out
     * confirmation, signed out with its notice, an error, the 404 - passes axe-core in light and dark, fits
     * a phone and a laptop without sideways scrolling, and shows its primary button on the first screen.
     * The screenshots in docs/pages/ (README, "What you'll see") are written here.
     */
    @Test
    void everyPage_isAccessible_inBothColourSchemes_andFitsPhoneAndLaptop(ChromeDriver browser) throws IOException {
        Path docs = repositoryRoot.resolve("docs/pages");
        List<String> report = new ArrayList<>();

        browser.get(site + "/");
        report.addAll(PageChecks.checkEverywhere(browser, "signed-out", "login", docs));

        browser.findElement(By.id("login")).click();
        waitForProviderPage(browser);
        report.addAll(PageChecks.checkEverywhere(browser, "stand-in-provider", "sign-in", docs));
        signInAtProvider(browser, "ada.lovelace@example.com");
        waitForUrl(browser, site + "/");
        report.addAll(PageChecks.checkEverywhere(browser, "signed-in", "logout", docs));

        browser.findElement(By.id("sessions-link")).click(); // the signed-in page is how users find it
        waitForUrl(browser, site + "/sessions");
        assertThat(browser.findElement(By.id("sessions")).getText()).contains("this browser");
        report.addAll(PageChecks.checkEverywhere(browser, "sessions", "sign-out-everywhere", docs));

        browser.get(site + "/logout");
        report.addAll(PageChecks.checkEverywhere(browser, "sign-out-confirm", "logout", docs));
        browser.findElement(By.id("logout")).click();
        waitForUrl(browser, site + "/?signed_out=1");
        report.addAll(PageChecks.checkEverywhere(browser, "signed-out-notice", "login", docs));

        // A callback this browser never started (a malformed state, so state_unknown: "expired or already
        // used"): the error page with its next step.
        browser.get(site + "/callback?state=not-started-here&code=x");
        assertThat(browser.findElement(By.id("reason")).getText()).isNotBlank();
        report.addAll(PageChecks.checkEverywhere(browser, "error", "next", docs));

        browser.get(site + "/no/such/page");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Page not found");
        report.addAll(PageChecks.checkEverywhere(browser, "not-found", "next", docs));

        report.forEach(line -> System.out.println("[pages] " + line));
    }

    // --- helpers ------------------------------------------------------------------------------------------

    /** On the stand-in's login page: type the address, submit. */
    static void signInAtProvider(ChromeDriver browser, String email) {
        waitForProviderPage(browser);
        browser.findElement(By.name("username")).sendKeys(email);
        browser.findElement(By.id("sign-in")).click();
    }

    static void waitForProviderPage(ChromeDriver browser) {
        String issuer = runner.app().issuer().toString();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains(issuer + "/authorize"));
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.name("username")));
    }

    static void waitForUrl(ChromeDriver browser, String url) {
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlToBe(url));
    }

    static Path findTemplate() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml"))) {
                return dir.resolve("template.yaml");
            }
        }
        throw new IllegalStateException("no template.yaml above " + Path.of("").toAbsolutePath());
    }

    /**
     * Writes the README's screenshot, but only when it looks different: PNG encoders may produce other bytes
     * for the same pixels, and an unchanged picture should not show up as a change in git.
     */
    static void saveIfChanged(byte[] png, Path file) throws IOException {
        if (Files.exists(file) && samePixels(Files.readAllBytes(file), png)) {
            return;
        }
        Files.createDirectories(file.getParent());
        Files.write(file, png);
    }

    static boolean samePixels(byte[] a, byte[] b) throws IOException {
        BufferedImage x = ImageIO.read(new ByteArrayInputStream(a));
        BufferedImage y = ImageIO.read(new ByteArrayInputStream(b));
        if (x == null || y == null || x.getWidth() != y.getWidth() || x.getHeight() != y.getHeight()) {
            return false;
        }
        return Arrays.equals(x.getRGB(0, 0, x.getWidth(), x.getHeight(), null, 0, x.getWidth()),
                y.getRGB(0, 0, y.getWidth(), y.getHeight(), null, 0, y.getWidth()));
    }
}
