package app.signin.testing;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import app.signin.App;

/**
 * Base for tests that need the real application graph over a fresh provider and a fresh table: the
 * in-process OIDC provider, a new DynamoDB table on the shared test endpoint, and the App built from the
 * environment a deployed function would get (the sample events' domain, so cookies are {@code __Host-}).
 * That is {@link SiteUnderTest#builder()}'s default site; this base only exposes its provider and App.
 */
public abstract class ProviderAndTable {
    /** The repository's {@code events/} folder, which {@code sam local invoke -e} uses too. */
    public static final Path EVENTS = Path.of("../../events").toAbsolutePath().normalize();

    protected SiteUnderTest site;
    protected TestProvider provider;
    protected App app;

    @BeforeEach
    void startProviderAndTable() {
        site = SiteUnderTest.builder().start();
        provider = site.provider();
        app = site.app();
    }

    @AfterEach
    void stopProvider() {
        site.close();
    }
}
