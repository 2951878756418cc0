package app.signin.local.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;

/**
 * What every page must pass in a real Chromium, in light and dark: axe-core finds no violation (all of
 * its rules; none disabled); at a phone's and a laptop's size nothing scrolls sideways and the page's
 * primary button is in view without scrolling. Screenshots of each page go to {@code docs/pages/} for the
 * README, so its pictures always show what the code renders.
 */
final class PageChecks {
    /** A phone (360 x 740 CSS px, mobile viewport rules on) and a laptop. */
    enum Size {
        PHONE(360, 740, true), LAPTOP(1280, 800, false);

        final int width;
        final int height;
        final boolean mobile;

        Size(int width, int height, boolean mobile) {
            this.width = width;
            this.height = height;
            this.mobile = mobile;
        }
    }

    enum Scheme {
        LIGHT, DARK
    }

    private PageChecks() {
    }

    /** Emulates the viewport and colour scheme through the DevTools protocol; both outlive navigations. */
    static void emulate(ChromeDriver browser, Size size, Scheme scheme) {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", size.width,
                "height", size.height, "deviceScaleFactor", 1, "mobile", size.mobile));
        browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", scheme.name().toLowerCase()))));
    }

    static void reset(ChromeDriver browser) {
        browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
    }

    /**
     * Checks the page now showing in every size and scheme and saves its screenshots as
     * {@code docs/pages/<name>-<width>.png} (light) and {@code <name>-<width>-dark.png}. Returns a line per
     * combination for the test's report.
     */
    static List<String> checkEverywhere(ChromeDriver browser, String name, String primaryButtonId, Path docs)
            throws IOException {
        String url = browser.getCurrentUrl();
        List<String> report = new java.util.ArrayList<>();
        for (Scheme scheme : Scheme.values()) {
            for (Size size : Size.values()) {
                emulate(browser, size, scheme);
                browser.get(url); // re-render at this size, from the top
                String where = name + " " + size.width + "x" + size.height + " " + scheme.name().toLowerCase();
                // axe once per scheme, at the phone size, where a layout is tightest: colours and markup are the
                // same at both sizes, and each run costs seconds on a shared machine.
                if (size == Size.PHONE) {
                    assertThat(violations(browser)).as("axe-core violations on %s (%s)", where, url).isEmpty();
                }
                assertNoHorizontalOverflow(browser, where);
                assertInViewWithoutScrolling(browser, primaryButtonId, where);
                String file = name + "-" + size.width + (scheme == Scheme.DARK ? "-dark" : "") + ".png";
                steadyForThePicture(browser);
                SignInInBrowserTest.saveIfChanged(browser.getScreenshotAs(OutputType.BYTES), docs.resolve(file));
                report.add(where + ": " + (size == Size.PHONE ? "axe 0 violations, " : "") + "no overflow, #"
                        + primaryButtonId + " in view -> docs/pages/" + file);
            }
        }
        reset(browser);
        return report;
    }

    /**
     * Only what changes from run to run is made steady, so an unchanged page leaves docs/ unchanged: the
     * random request id reads as a fixed one, and the blinking caret of an autofocused field goes away.
     */
    static void steadyForThePicture(ChromeDriver browser) {
        browser.executeScript("const id = document.getElementById('request-id');"
                + "if (id) { id.textContent = '3f1c2a9e-5b7d-4e8f-9a6b-0c1d2e3f4a5b'; }"
                + "if (document.activeElement) { document.activeElement.blur(); }");
    }

    /** Every axe-core rule that applies (the default set: WCAG 2.x A and AA, and best practices). */
    static List<String> violations(ChromeDriver browser) {
        Results results = new AxeBuilder().analyze(browser);
        assertThat(results.isErrored()).as("axe-core ran: %s", results.getErrorMessage()).isFalse();
        return results.getViolations().stream().map(PageChecks::describe).collect(Collectors.toList());
    }

    private static String describe(Rule rule) {
        return rule.getId() + " (" + rule.getImpact() + "): " + rule.getHelp() + " - "
                + rule.getNodes().stream().map(n -> String.valueOf(n.getTarget())).collect(Collectors.joining(", "));
    }

    static void assertNoHorizontalOverflow(ChromeDriver browser, String where) {
        Number scrollWidth = (Number) browser.executeScript("return document.documentElement.scrollWidth");
        Number innerWidth = (Number) browser.executeScript("return window.innerWidth");
        assertThat(scrollWidth.intValue()).as("scrollWidth <= innerWidth on %s", where).isLessThanOrEqualTo(innerWidth.intValue());
    }

    static void assertInViewWithoutScrolling(ChromeDriver browser, String id, String where) {
        WebElement button = browser.findElement(By.id(id));
        assertThat(button.isDisplayed()).as("#%s displayed on %s", id, where).isTrue();
        @SuppressWarnings("unchecked")
        Map<String, Number> box = (Map<String, Number>) browser.executeScript(
                "window.scrollTo(0, 0); const r = arguments[0].getBoundingClientRect();"
                        + "return {top: r.top, bottom: r.bottom, left: r.left, right: r.right,"
                        + " height: window.innerHeight, width: window.innerWidth};", button);
        assertThat(box.get("top").doubleValue()).as("#%s top on %s", id, where).isGreaterThanOrEqualTo(0);
        assertThat(box.get("left").doubleValue()).as("#%s left on %s", id, where).isGreaterThanOrEqualTo(0);
        assertThat(box.get("bottom").doubleValue()).as("#%s bottom within the first screen on %s", id, where)
                .isLessThanOrEqualTo(box.get("height").doubleValue());
        assertThat(box.get("right").doubleValue()).as("#%s right on %s", id, where)
                .isLessThanOrEqualTo(box.get("width").doubleValue());
    }
}
