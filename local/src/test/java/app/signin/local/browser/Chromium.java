package app.signin.local.browser;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A JUnit extension that hands each test a fresh headless Chromium (its own profile, so no cookie crosses
 * tests) and, when the test fails, saves a screenshot and the page source of every open tab under
 * {@code target/browser-failures/} before the browser is closed.
 *
 * <p>A browser that cannot start fails the test with what to install: this test is never skipped.
 */
public final class Chromium implements ParameterResolver, AfterTestExecutionCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Chromium.class);
    /** Debian's packages (apt-get install chromium chromium-driver) put them here. */
    private static final List<String> BROWSERS = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");
    private static final String DRIVER = "chromedriver";

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ChromeDriver.class;
    }

    @Override
    public ChromeDriver resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).computeIfAbsent("browser", k -> Session.start(), Session.class).driver;
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        Session session = context.getStore(NAMESPACE).get("browser", Session.class);
        if (session == null || context.getExecutionException().isEmpty()) {
            return;
        }
        Path dir = Path.of(System.getProperty("basedir", "."), "target", "browser-failures");
        String name = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
        try {
            Files.createDirectories(dir);
            int tab = 0;
            for (String handle : session.driver.getWindowHandles()) {
                session.driver.switchTo().window(handle);
                String file = name + (tab == 0 ? "" : "-tab" + tab);
                Files.write(dir.resolve(file + ".png"), session.driver.getScreenshotAs(OutputType.BYTES));
                Files.writeString(dir.resolve(file + ".html"), "<!-- " + session.driver.getCurrentUrl() + " -->\n"
                        + session.driver.getPageSource(), StandardCharsets.UTF_8);
                tab++;
            }
            System.err.println("[Chromium] " + name + " failed; screenshots and page sources in " + dir.toAbsolutePath());
        } catch (IOException | WebDriverException e) {
            System.err.println("[Chromium] could not save the failure's screenshot: " + e);
        }
    }

    /** One browser and its throw-away profile; closed by JUnit when the test's store closes. */
    static final class Session implements AutoCloseable {
        final ChromeDriver driver;
        final Path profile;

        private Session(ChromeDriver driver, Path profile) {
            this.driver = driver;
            this.profile = profile;
        }

        static Session start() {
            Path browser = find("chrome.binary", BROWSERS).orElseThrow(() -> new AssertionError(
                    "The browser test needs Chromium: " + missing("chrome.binary", BROWSERS)
                            + ". Install it: apt-get install chromium chromium-driver"));
            Path driverBinary = find("webdriver.chrome.driver", List.of(DRIVER)).orElseThrow(() -> new AssertionError(
                    "The browser test needs chromedriver: " + missing("webdriver.chrome.driver", List.of(DRIVER))
                            + ". Install it: apt-get install chromium-driver"));
            Path profile;
            try {
                profile = Files.createTempDirectory("chromium-profile-");
            } catch (IOException e) {
                throw new AssertionError("cannot create a Chromium profile folder", e);
            }
            ChromeOptions options = new ChromeOptions();
            options.setBinary(browser.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--user-data-dir=" + profile, "--window-size=800,450",
                    "--force-device-scale-factor=1", "--lang=en-US");
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(driverBinary.toFile())
                    .usingAnyFreePort()
                    .build();
            try {
                ChromeDriver driver = new ChromeDriver(service, options);
                driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
                return new Session(driver, profile);
            } catch (WebDriverException e) {
                deleteQuietly(profile);
                String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString()).strip();
                throw new AssertionError("Chromium (" + browser + ") could not be started through " + driverBinary
                        + ": " + reason + " The browser test requires a working headless Chromium; it is not skipped.", e);
            }
        }

        @Override
        public void close() {
            try {
                driver.quit();
            } finally {
                deleteQuietly(profile);
            }
        }

        private static String missing(String property, List<String> names) {
            String value = System.getProperty(property);
            return value == null || value.isBlank() ? "none of " + names + " is on the PATH"
                    : "-D" + property + "=" + value + " is not an executable";
        }

        /** The system property's path when set, else the first of {@code names} found on the PATH. */
        private static Optional<Path> find(String property, List<String> names) {
            String configured = System.getProperty(property);
            if (configured != null && !configured.isBlank()) {
                return Optional.of(Path.of(configured)).filter(Files::isExecutable);
            }
            String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
            for (String name : names) {
                for (String dir : path.split(File.pathSeparator)) {
                    Path candidate = Path.of(dir, name);
                    if (Files.isExecutable(candidate)) {
                        return Optional.of(candidate);
                    }
                }
            }
            return Optional.empty();
        }

        private static void deleteQuietly(Path dir) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover temporary profile is harmless
            }
        }
    }
}
