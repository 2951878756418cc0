package app.signin.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.App;
import app.signin.config.Config;
import app.signin.session.SessionStore;
import app.signin.store.InMemorySessionStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One deployed site for a conformance test: a real OIDC provider on loopback, the application graph over
 * a chosen store, and browsers that talk to its four handlers. Closing it stops the provider.
 *
 * <p>The store is either the in-memory one (fast; for floods and pure browser-side cases) or DynamoDB
 * through the real {@link App#build} client, directly against moto or through a {@link FaultProxy}.
 */
public final class SiteUnderTest implements AutoCloseable {
    public static final String SESSION_COOKIE = "__Host-session";
    public static final String ORIGIN = "https://" + Browser.DOMAIN;

    private final TestProvider provider;
    private final Map<String, String> env;
    private final SessionStore store;
    private final MutableClock clock;
    private final CapturedLog log;
    private final App app;

    private SiteUnderTest(TestProvider provider, Map<String, String> env, SessionStore store, MutableClock clock,
            CapturedLog log, App app) {
        this.provider = provider;
        this.env = env;
        this.store = store;
        this.clock = clock;
        this.log = log;
        this.app = app;
    }

    /**
     * The one way to stand a site up: a site on the production graph over a fresh DynamoDB table unless told
     * otherwise; change what the test is about and leave the rest as deployed.
     * <pre>{@code
     * SiteUnderTest.builder().start();                                  // App.build over moto, system clock
     * SiteUnderTest.builder().inMemory().env(Config.ALLOWED_DOMAINS, "example.com").start();
     * SiteUnderTest.builder().behind(proxy).start();                    // DynamoDB through a FaultProxy
     * }</pre>
     * {@link #extension()} closes the site after each test.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** See {@link SiteUnderTest#builder()}. */
    public static final class Builder {
        private final Map<String, String> overrides = new HashMap<>();
        private Function<Map<String, String>, SessionStore> store;
        private URI dynamoDbEndpoint;

        private Builder() {
        }

        /** One setting as a deployed function would get it (overrides the default). */
        public Builder env(String name, String value) {
            overrides.put(name, value);
            return this;
        }

        public Builder env(Map<String, String> settings) {
            overrides.putAll(settings);
            return this;
        }

        /** The in-memory store behind a {@link RecordingSessionStore}, a hand-moved clock, a captured log. */
        public Builder inMemory() {
            env(Config.SESSION_TABLE, "in-memory");
            return store(e -> new RecordingSessionStore(new InMemorySessionStore()));
        }

        /** A store of the test's choosing (built from the final environment), a hand-moved clock, a captured log. */
        public Builder store(Function<Map<String, String>, SessionStore> factory) {
            this.store = factory;
            return this;
        }

        /** The production graph against this DynamoDB API instead of the shared test endpoint. */
        public Builder dynamoDb(URI endpoint) {
            this.dynamoDbEndpoint = endpoint;
            return this;
        }

        /** The production graph with every DynamoDB call going through {@code proxy}. */
        public Builder behind(FaultProxy proxy) {
            return dynamoDb(proxy.endpoint());
        }

        public SiteUnderTest start() {
            TestProvider provider = new TestProvider();
            Map<String, String> env = baseEnv(provider, overrides);
            env.putIfAbsent(Config.AWS_REGION, "us-east-1"); // the region TestDynamoDb creates tables in
            if (store != null) {
                return custom(provider, env, store);
            }
            env.putIfAbsent(Config.SESSION_TABLE, TestDynamoDb.shared().createTable());
            env.put(Config.DYNAMODB_ENDPOINT,
                    (dynamoDbEndpoint == null ? TestDynamoDb.shared().endpoint() : dynamoDbEndpoint).toString());
            App app = App.build(env);
            return new SiteUnderTest(provider, env, app.store(), null, null, app);
        }

        /** A JUnit 5 extension ({@code @RegisterExtension}) that starts this site before each test and closes it after. */
        public SiteExtension extension() {
            return new SiteExtension(this);
        }
    }

    /** In-memory store behind a {@link RecordingSessionStore}, a hand-moved clock, a captured log. */
    public static SiteUnderTest inMemory(Map<String, String> envOverrides) {
        return builder().inMemory().env(envOverrides).start();
    }

    /** A store of the test's choosing (built from the final environment), a hand-moved clock, a captured log. */
    public static SiteUnderTest custom(Map<String, String> envOverrides, Function<Map<String, String>, SessionStore> store) {
        return builder().store(store).env(envOverrides).start();
    }

    /**
     * The production graph ({@link App#build}: real DynamoDB client, its timeouts and retry policy, system
     * clock) against {@code endpoint}, with a fresh table created on the shared moto unless the overrides
     * name one.
     */
    public static SiteUnderTest dynamoDb(URI endpoint, Map<String, String> envOverrides) {
        return builder().dynamoDb(endpoint).env(envOverrides).start();
    }

    private static SiteUnderTest custom(TestProvider provider, Map<String, String> env,
            Function<Map<String, String>, SessionStore> storeFactory) {
        SessionStore store = storeFactory.apply(env);
        MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        CapturedLog log = new CapturedLog();
        App app = TestApps.with(env, store, clock, log.log());
        return new SiteUnderTest(provider, env, store, clock, log, app);
    }

    private static Map<String, String> baseEnv(TestProvider provider, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put(Config.OIDC_ISSUER, provider.issuer().toString());
        env.put(Config.GOOGLE_CLIENT_ID, TestProvider.CLIENT_ID);
        env.put(Config.GOOGLE_CLIENT_SECRET, TestProvider.CLIENT_SECRET);
        env.put(Config.SESSION_SECRET, TestApps.SESSION_SECRET);
        env.putAll(overrides);
        return env;
    }

    /** Another deployment of the same site - same provider, store, clock and log - with changed settings. */
    public App redeployed(Map<String, String> envOverrides) {
        Map<String, String> changed = new HashMap<>(env);
        changed.putAll(envOverrides);
        Clock c = clock == null ? Clock.systemUTC() : clock;
        return TestApps.with(changed, store, c, log == null ? CapturedLog.discarding() : log.log());
    }

    public TestProvider provider() {
        return provider;
    }

    public App app() {
        return app;
    }

    public Map<String, String> env() {
        return env;
    }

    public SessionStore store() {
        return store;
    }

    /** The store's call tally (for sites built with a {@link RecordingSessionStore}). */
    public RecordingSessionStore recording() {
        return (RecordingSessionStore) store;
    }

    /** The hand-moved clock (not for {@link #dynamoDb} sites, which run on the system clock). */
    public MutableClock clock() {
        return clock;
    }

    /** Everything logged so far (not for {@link #dynamoDb} sites, which log to stdout). */
    public String logText() {
        return log == null ? "" : log.text();
    }

    /** Sessions the store holds right now, expired or not (on DynamoDB: a consistent scan of the table). */
    public long storedSessionCount() {
        SessionStore s = store instanceof RecordingSessionStore r ? r.delegate() : store;
        if (s instanceof InMemorySessionStore memory) {
            return memory.sessionCount();
        }
        try (DynamoDbClient client = TestDynamoDb.shared().client()) {
            return client.scanPaginator(b -> b.tableName(env.get(Config.SESSION_TABLE)).consistentRead(true))
                    .items().stream().filter(i -> i.get("pk").s().startsWith("s#")).count();
        }
    }

    /** A browser with an empty cookie jar. */
    public Browser browser() {
        return new Browser(Handlers.routes(app));
    }

    public Browser browser(App other) {
        return new Browser(Handlers.routes(other));
    }

    /** {@code GET /login}, checked to be the redirect to the provider. */
    public static APIGatewayV2HTTPResponse startLogin(Browser browser, String query) {
        APIGatewayV2HTTPResponse login = browser.get("/login" + query);
        assertThat(login.getStatusCode()).as("GET /login").isEqualTo(302);
        return login;
    }

    /** Logs {@code sub} in at the provider for this login; returns the callback's path and query. */
    public String authorize(APIGatewayV2HTTPResponse login, String sub, Map<String, Object> claims) {
        URI back = ProviderSignIn.authorizeAs(login.getHeaders().get("location"), sub, claims);
        return back.getRawPath() + "?" + back.getRawQuery();
    }

    /** Logs {@code sub} in at the provider for this login; returns its answer, a good fixture to change one field of. */
    public AuthorizationResponse authorizationResponse(APIGatewayV2HTTPResponse login, String sub, Map<String, Object> claims) {
        return AuthorizationResponse.of(authorize(login, sub, claims));
    }

    /** A whole login as a verified user; returns the callback's response. */
    public APIGatewayV2HTTPResponse login(Browser browser, String sub, String email) {
        return login(browser, "", sub, ProviderSignIn.user(sub, email));
    }

    public APIGatewayV2HTTPResponse login(Browser browser, String query, String sub, Map<String, Object> claims) {
        APIGatewayV2HTTPResponse login = startLogin(browser, query);
        return browser.get(authorize(login, sub, claims));
    }

    @Override
    public void close() {
        provider.close();
    }
}
