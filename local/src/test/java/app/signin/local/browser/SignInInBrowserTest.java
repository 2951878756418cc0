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
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

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
                Config.SESSION_TABLE, "browser-" + UUID.randomUUID().toString().substring(0, 8)),
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
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("Logged in as: alice@example.com");
        saveIfChanged(browser.getScreenshotAs(OutputType.BYTES), repositoryRoot.resolve("docs/logged-in.png"));

        browser.navigate().refresh();
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("Logged in as: alice@example.com");
        Cookie old = browser.manage().getCookieNamed(SESSION_COOKIE);
        assertThat(old).as("session cookie").isNotNull();
        assertThat(old.isHttpOnly()).isTrue();

        browser.findElement(By.id("logout")).click();
        // The page before and after is "/": wait for the signed-out page's login link, not for the URL.
        // (Not stalenessOf: Chromium may answer the old element with "Node ... does not belong to the
        // document" instead of a stale-element error, which the condition does not expect.)
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("login")));
        waitForUrl(browser, site + "/");
        assertThat(browser.findElement(By.id("login")).getText()).isEqualTo("Login with Google");
        assertThat(browser.manage().getCookieNamed(SESSION_COOKIE)).isNull();

        // Someone who kept a copy of the cookie gets nothing from it once the session has ended.
        browser.manage().addCookie(new Cookie.Builder(SESSION_COOKIE, old.getValue()).path("/")
                .isHttpOnly(true).isSecure(old.isSecure()).sameSite("Lax").build());
        browser.navigate().refresh();
        assertThat(browser.findElement(By.id("login")).getText()).isEqualTo("Login with Google");
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
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("Logged in as: tabs@example.com");

        browser.switchTo().window(second);
        signInAtProvider(browser, "tabs@example.com");
        waitForUrl(browser, site + "/");
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("Logged in as: tabs@example.com");

        browser.switchTo().window(first);
        browser.navigate().refresh();
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("Logged in as: tabs@example.com");
    }

    @Test
    void returnToDeepLink_survivesTheRoundTrip(ChromeDriver browser) {
        browser.get(site + "/login?return_to=/deep/link?x=1");
        signInAtProvider(browser, "deep@example.com");

        // The runner has no such page (404): what matters is that the sign-in came back to it.
        waitForUrl(browser, site + "/deep/link?x=1");
        assertThat(browser.getPageSource()).contains("Not Found");
        browser.get(site + "/");
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("Logged in as: deep@example.com");
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
