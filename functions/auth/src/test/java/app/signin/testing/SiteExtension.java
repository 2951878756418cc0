package app.signin.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import app.signin.App;

/**
 * A {@link SiteUnderTest} per test, started before it and closed after it:
 * {@code @RegisterExtension final SiteExtension site = SiteUnderTest.builder().inMemory().extension();}
 */
public final class SiteExtension implements BeforeEachCallback, AfterEachCallback {
    private final SiteUnderTest.Builder builder;
    private SiteUnderTest site;

    SiteExtension(SiteUnderTest.Builder builder) {
        this.builder = builder;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        site = builder.start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (site != null) {
            site.close();
            site = null;
        }
    }

    /** The site of the test running now. */
    public SiteUnderTest get() {
        if (site == null) {
            throw new IllegalStateException("no test is running: the site starts before each test");
        }
        return site;
    }

    public App app() {
        return get().app();
    }

    public TestProvider provider() {
        return get().provider();
    }

    /** A browser with an empty cookie jar, on this test's site. */
    public Browser browser() {
        return get().browser();
    }
}
