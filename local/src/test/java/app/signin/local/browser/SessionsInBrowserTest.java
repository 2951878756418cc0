package app.signin.local.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import app.signin.config.Config;
import app.signin.local.LocalRunner;
import app.signin.testing.TestDynamoDb;

/**
 * Issue 12 in real browsers: two headless Chromiums - two profiles, two cookie jars - signed in as the same
 * person against the local runner over moto's DynamoDB (its user index and Query included). The session
 * list shows both, End in one ends the other, and Sign out everywhere in one ends the other on its next
 * request.
 */
@ExtendWith(Chromium.class)
class SessionsInBrowserTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    static LocalRunner.Running runner;
    static String site;

    @BeforeAll
    static void startRunner() {
        TestDynamoDb dynamo = TestDynamoDb.shared();
        runner = LocalRunner.start(Map.of(
                LocalRunner.PORT, "0",
                Config.DYNAMODB_ENDPOINT, dynamo.endpoint().toString(),
                Config.SESSION_TABLE, "browser-sessions-" + UUID.randomUUID().toString().substring(0, 8)),
                SignInInBrowserTest.findTemplate(), System.out, Instant.now());
        site = runner.url().toString();
        warmUpStandIn();
    }

    /**
     * One discovery request to the stand-in provider without a deadline, before the browsers start: its
     * first answer in a cold JVM can take seconds on a loaded machine, which would land inside the app's 4 s
     * provider budget and fail the first login with a 503 unrelated to sessions (as TestProvider does).
     */
    static void warmUpStandIn() {
        try {
            var c = (java.net.HttpURLConnection) java.net.URI.create(runner.app().issuer()
                    + "/.well-known/openid-configuration").toURL().openConnection();
            c.setConnectTimeout(30_000);
            c.setReadTimeout(30_000);
            try (var in = c.getInputStream()) {
                in.readAllBytes();
            }
            c.disconnect();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the stand-in provider does not answer", e);
        }
    }

    @AfterAll
    static void stopRunner() {
        if (runner != null) {
            runner.close();
        }
    }

    @Test
    void signOutEverywhere_inOneBrowser_endsTheOtherOnItsNextRequest(ChromeDriver laptop) {
        try (Chromium.Session second = Chromium.Session.start()) {
            ChromeDriver phone = second.driver;
            signIn(laptop, "everywhere@example.com");
            signIn(phone, "everywhere@example.com");

            laptop.get(site + "/sessions");
            List<WebElement> rows = laptop.findElements(By.cssSelector("#sessions li"));
            assertThat(rows).hasSize(2);
            assertThat(laptop.findElement(By.cssSelector("#sessions li.current")).getText()).contains("(this browser)");
            assertThat(laptop.findElements(By.cssSelector("button.end"))).as("an End button for the other one").hasSize(1);

            laptop.findElement(By.id("sign-out-everywhere")).click();
            new WebDriverWait(laptop, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("login")));

            phone.navigate().refresh();
            assertThat(phone.findElement(By.id("login")).getText()).isEqualTo("Sign in with Google");
            assertThat(phone.getPageSource()).doesNotContain("everywhere@example.com");
            laptop.get(site + "/sessions");
            waitForProviderPage(laptop); // signed out: the list sends it to sign in
        }
    }

    @Test
    void endInOneBrowser_endsTheOther_andKeepsThisOne(ChromeDriver laptop) {
        try (Chromium.Session second = Chromium.Session.start()) {
            ChromeDriver phone = second.driver;
            laptop.manage().deleteAllCookies();
            signIn(laptop, "end@example.com");
            signIn(phone, "end@example.com");

            laptop.get(site + "/sessions");
            laptop.findElement(By.cssSelector("button.end")).click();
            new WebDriverWait(laptop, WAIT).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#sessions li"), 1));

            phone.navigate().refresh();
            assertThat(phone.findElement(By.id("login")).getText()).isEqualTo("Sign in with Google");
            laptop.get(site + "/");
            assertThat(laptop.findElement(By.id("email")).getText()).isEqualTo("end@example.com");
        }
    }

    /** The stand-in provider's sign-in page, as a person fills it in; back on the site, signed in. */
    private static void signIn(ChromeDriver browser, String email) {
        browser.get(site + "/login");
        waitForProviderPage(browser);
        browser.findElement(By.name("username")).sendKeys(email);
        browser.findElement(By.id("sign-in")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlToBe(site + "/"));
        assertThat(browser.findElement(By.id("email")).getText()).isEqualTo(email);
    }

    private static void waitForProviderPage(ChromeDriver browser) {
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains(runner.app().issuer() + "/authorize"));
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.name("username")));
    }
}
