package app.signin.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.App;
import app.signin.config.Config;
import app.signin.handler.HelloHandler;
import app.signin.handler.MeHandler;
import app.signin.handler.Wiring;
import app.signin.log.Log;
import app.signin.session.SessionStore;
import app.signin.store.DynamoDbSessionStore;
import app.signin.store.InMemorySessionStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One deployed site for a test: a real OIDC provider on loopback, the application graph over a chosen
 * store, and browsers that talk to its routes - the pages, the API behind the authorizer, the health check.
 * Closing it stops the provider (and closes the DynamoDB client it opened, if any). Other modules (the local
 * runner's tests) use it from this module's test jar.
 *
 * <p>The store is either the in-memory one (fast; for floods and pure browser-side cases), DynamoDB through
 * the real {@link App#build} client, directly against moto or through a {@link FaultProxy}, or DynamoDB on
 * a hand-moved clock ({@link Builder#dynamoDbStore()}).
 */
public final class SiteUnderTest implements AutoCloseable {
    public static final String SESSION_COOKIE = "__Host-session";
    public static final String ORIGIN = "https://" + Browser.DOMAIN;
    /** The {@code SESSION_SECRET} every test site signs its cookies with. */
    public static final String SESSION_SECRET = "test-session-secret-0123456789abcdefghijklmnop";
    /** The repository root: the first directory above the working directory that holds template.yaml (any module). */
    public static final Path REPOSITORY = repositoryRoot();
    /** The repository's {@code events/} folder, which {@code sam local invoke -e} uses too. */
    public static final Path EVENTS = REPOSITORY.resolve("events");
    private static final Function<String, String> NO_SECRETS_MANAGER = arn -> {
        throw new IllegalStateException("no Secrets Manager in tests");
    };

    private final TestProvider provider;
    private final Map<String, String> env;
    private final SessionStore store;
    private final Clock clock;
    private final SecureRandom random;
    private final CapturedLog log;
    private final Function<String, String> secretsManager;
    private final List<AutoCloseable> owned;
    private final App app;

    private SiteUnderTest(TestProvider provider, Map<String, String> env, SessionStore store, Clock clock,
            SecureRandom random, CapturedLog log, Function<String, String> secretsManager, List<AutoCloseable> owned,
            App app) {
        this.provider = provider;
        this.env = env;
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.log = log;
        this.secretsManager = secretsManager;
        this.owned = owned;
        this.app = app;
    }

    /**
     * The one way to stand a site up: a site on the production graph over a fresh DynamoDB table unless told
     * otherwise; change what the test is about and leave the rest as deployed.
     * <pre>{@code
     * SiteUnderTest.builder().start();                                  // App.build over moto, system clock
     * SiteUnderTest.builder().inMemory().env(Config.ALLOWED_DOMAINS, "example.com").start();
     * SiteUnderTest.builder().behind(proxy).start();                    // DynamoDB through a FaultProxy
     * SiteUnderTest.builder().dynamoDbStore().start();                  // DynamoDB on a hand-moved clock
     * }</pre>
     * {@link #extension()} closes the site after each test.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** See {@link SiteUnderTest#builder()}. */
    public static final class Builder {
        private final Map<String, String> overrides = new HashMap<>();
        private final Set<String> removed = new HashSet<>();
        private final List<AutoCloseable> owned = new ArrayList<>();
        private Function<Map<String, String>, SessionStore> store;
        private boolean recorded;
        private URI dynamoDbEndpoint;
        private Clock clock;
        private SecureRandom random;
        private Function<String, String> secretsManager = NO_SECRETS_MANAGER;

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

        /** A setting the deployed function would not get at all (for one the defaults set). */
        public Builder without(String name) {
            overrides.remove(name);
            removed.add(name);
            return this;
        }

        /** What a {@code *_ARN} setting resolves to (tests have no Secrets Manager; by default every ARN fails). */
        public Builder secretsManager(Function<String, String> secrets) {
            this.secretsManager = secrets;
            return this;
        }

        /** The clock of a site on a chosen store (default: a {@link MutableClock} at the current second). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** The random source of a site on a chosen store (default: a new {@link SecureRandom}). */
        public Builder random(SecureRandom random) {
            this.random = random;
            return this;
        }

        /**
         * The DynamoDB store as deployed on a fresh table of the shared moto, over a client the site owns, on a
         * hand-moved clock with a captured log - for tests that need DynamoDB and time in their hand.
         */
        public Builder dynamoDbStore() {
            return store(e -> {
                DynamoDbClient client = TestDynamoDb.shared().client();
                owned.add(client);
                return new DynamoDbSessionStore(client, e.get(Config.SESSION_TABLE));
            });
        }

        /** The in-memory store behind a {@link RecordingSessionStore}, a hand-moved clock, a captured log. */
        public Builder inMemory() {
            env(Config.SESSION_TABLE, "in-memory");
            return store(e -> new RecordingSessionStore(new InMemorySessionStore()));
        }

        /** The chosen store behind a {@link RecordingSessionStore} ({@link SiteUnderTest#recording()}): its calls counted. */
        public Builder recorded() {
            this.recorded = true;
            return this;
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
            env.putIfAbsent(Config.SESSION_TABLE, TestDynamoDb.shared().createTable());
            env.keySet().removeAll(removed);
            if (store != null) {
                SessionStore chosen = store.apply(env); // may open a client, which the site then owns
                if (recorded && !(chosen instanceof RecordingSessionStore)) {
                    chosen = new RecordingSessionStore(chosen);
                }
                List<AutoCloseable> closing = List.copyOf(owned);
                owned.clear();
                return custom(provider, env, chosen, clock, random == null ? new SecureRandom() : random,
                        secretsManager, closing);
            }
            env.put(Config.DYNAMODB_ENDPOINT,
                    (dynamoDbEndpoint == null ? TestDynamoDb.shared().endpoint() : dynamoDbEndpoint).toString());
            App app = App.build(env);
            return new SiteUnderTest(provider, env, app.store(), null, null, null, secretsManager, List.of(), app);
        }

        /** A JUnit 5 extension ({@code @RegisterExtension}) that starts this site before each test and closes it after. */
        public SiteExtension extension() {
            return new SiteExtension(this);
        }
    }

    private static SiteUnderTest custom(TestProvider provider, Map<String, String> env, SessionStore store,
            Clock chosen, SecureRandom random, Function<String, String> secretsManager, List<AutoCloseable> owned) {
        Clock clock = chosen != null ? chosen : new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        CapturedLog log = new CapturedLog();
        App app = graph(env, store, clock, random, log.log(), secretsManager);
        return new SiteUnderTest(provider, env, store, clock, random, log, secretsManager, owned, app);
    }

    private static Map<String, String> baseEnv(TestProvider provider, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put(Config.OIDC_ISSUER, provider.issuer().toString());
        env.put(Config.GOOGLE_CLIENT_ID, TestProvider.CLIENT_ID);
        env.put(Config.GOOGLE_CLIENT_SECRET, TestProvider.CLIENT_SECRET);
        env.put(Config.SESSION_SECRET, SESSION_SECRET);
        env.putAll(overrides);
        return env;
    }

    /** Another deployment of the same site - same provider, store, clock and log - with changed settings. */
    public App redeployed(Map<String, String> envOverrides) {
        return redeployed(envOverrides, log == null ? CapturedLog.discarding() : log.log());
    }

    /** Another deployment of the same site - same provider, store and clock - logging to {@code log}. */
    public App redeployed(Map<String, String> envOverrides, Log log) {
        return redeployed(envOverrides, store, log);
    }

    /** Another deployment of the same site - same provider, clock and random source - over another store. */
    public App redeployed(Map<String, String> envOverrides, SessionStore other, Log log) {
        Map<String, String> changed = new HashMap<>(env);
        changed.putAll(envOverrides);
        return graph(changed, other, clock == null ? Clock.systemUTC() : clock,
                random == null ? new SecureRandom() : random, log, secretsManager);
    }

    /**
     * The production graph ({@link App#build}: its own DynamoDB client, system clock, stdout) from this site's
     * settings changed by {@code envOverrides} - for a deployment pointed at a store that does not answer.
     */
    public App rebuilt(Map<String, String> envOverrides) {
        Map<String, String> changed = new HashMap<>(env);
        changed.putAll(envOverrides);
        return App.build(changed);
    }

    /** The graph Lambda would build from {@code env}, over a chosen store, clock and log. */
    private static App graph(Map<String, String> env, SessionStore store, Clock clock, SecureRandom random, Log log,
            Function<String, String> secretsManager) {
        return new App(Config.load(env, secretsManager), store, clock, random, log);
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

    /** The hand-moved clock (not for sites on the production graph or a chosen clock, which have none). */
    public MutableClock clock() {
        return clock instanceof MutableClock hand ? hand : null;
    }

    /** Everything logged so far (not for sites on the production graph, which log to stdout). */
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

    /** A browser with an empty cookie jar, on every route of the site (see {@link #routes}). */
    public Browser browser() {
        return browser(app);
    }

    /** A browser on every route of another deployment of the site. */
    public Browser browser(App other) {
        return new Browser(routes(other));
    }

    /**
     * The routes of template.yaml over {@code app}: {@link Handlers#routes} (the four pages, and
     * {@code /api/google/userinfo} called directly), {@code /api/me} and {@code /api/hello} behind the
     * authorizer as API Gateway drives them ({@link ApiGateway}), and {@code /health}.
     */
    public static Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> routes(App app) {
        Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> routes =
                new HashMap<>(Handlers.routes(app));
        routes.put("/api/me", new ApiGateway(Wiring.authorizer(app),
                new MeHandler(app.log(), app.config().allowedReturnOrigins())));
        routes.put("/api/hello", new ApiGateway(Wiring.authorizer(app), new HelloHandler()));
        routes.put("/health", Wiring.health(app));
        return routes;
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

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("template.yaml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no template.yaml above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    @Override
    public void close() {
        provider.close();
        for (AutoCloseable resource : owned) {
            try {
                resource.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + resource, e);
            }
        }
    }
}
