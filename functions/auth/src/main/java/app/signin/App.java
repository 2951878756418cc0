package app.signin;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import app.signin.concurrent.Lazy;
import app.signin.config.Config;
import app.signin.crypto.CookieCodec;
import app.signin.crypto.Keyring;
import app.signin.crypto.RandomTokens;
import app.signin.crypto.TokenCipher;
import app.signin.log.Log;
import app.signin.log.Metrics;
import app.signin.login.CallbackProcessor;
import app.signin.login.LoginStarter;
import app.signin.login.SignOut;
import app.signin.oidc.AccessPolicy;
import app.signin.oidc.BearerTokens;
import app.signin.oidc.Provider;
import app.signin.oidc.ProviderSettings;
import app.signin.protect.Authorizer;
import app.signin.protect.GoogleAccessTokens;
import app.signin.session.AccessTokens;
import app.signin.session.PendingLogins;
import app.signin.session.SessionStore;
import app.signin.session.Sessions;
import app.signin.session.UserSessions;
import app.signin.store.AwsClients;
import app.signin.store.DynamoDbSessionStore;
import app.signin.web.Pages;
import app.signin.web.Pipeline;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The container-wide object graph: configuration, keys, the store client and the domain services, built
 * once per Lambda container (or once per local runner) and shared by every handler in it. It only wires:
 * handlers take the collaborators they use, and meet this class only in the no-argument constructors
 * Lambda calls (see {@code handler.Wiring}).
 */
public final class App {
    static {
        // An authorization code is single-use: the JDK must never silently re-send a POST that failed
        // mid-flight. Set before any HttpURLConnection is created in this JVM.
        System.setProperty("sun.net.http.retryPost", "false");
    }

    /**
     * Bounds on calls to the identity provider; the callback function's own timeout (25 s) is above the
     * sum of its worst-case call budgets (see template.yaml). The call
     * timeout covers the whole call, connect to last byte - not each read - so a provider trickling bytes
     * cannot stretch it. Revocation at logout is best effort and gets less.
     */
    public static final int PROVIDER_CONNECT_TIMEOUT_MILLIS = 2_000;
    public static final int PROVIDER_CALL_TIMEOUT_MILLIS = 4_000;
    public static final int REVOKE_TIMEOUT_MILLIS = 1_500;
    /** Fetched provider keys are reused this long; an unknown {@code kid} refetches sooner (rate-limited). */
    public static final Duration JWKS_CACHE_TTL = Duration.ofHours(1);
    public static final ProviderSettings PROVIDER_SETTINGS = new ProviderSettings(
            Duration.ofMillis(PROVIDER_CONNECT_TIMEOUT_MILLIS), Duration.ofMillis(PROVIDER_CALL_TIMEOUT_MILLIS),
            Duration.ofMillis(REVOKE_TIMEOUT_MILLIS), JWKS_CACHE_TTL);
    private static final Lazy<App> FROM_ENVIRONMENT = Lazy.of(() -> build(System.getenv()));

    private final Config config;
    private final Clock clock;
    private final SessionStore store;
    private final Provider provider;
    private final Sessions sessions;
    private final AccessTokens accessTokens;
    private final LoginStarter loginStarter;
    private final CallbackProcessor callbackProcessor;
    private final SignOut signOut;
    private final UserSessions userSessions;
    private final Pipeline pipeline;
    private final Pages pages;
    private final Authorizer authorizer;
    private final Log log;
    private final Metrics metrics;

    public App(Config config, SessionStore store, Clock clock, SecureRandom random, Log log) {
        this(config, store, clock, random, log, PROVIDER_SETTINGS);
    }

    /** With chosen provider timeouts: for tests that play a slow or hanging provider. */
    public App(Config config, SessionStore store, Clock clock, SecureRandom random, Log log,
            ProviderSettings providerSettings) {
        this.config = config;
        this.clock = clock;
        this.store = store;
        this.log = log;
        this.metrics = new Metrics(log, config.metricsNamespace());
        Keyring keyring = new Keyring(config.sessionSecrets());
        CookieCodec codec = new CookieCodec(keyring);
        RandomTokens tokens = new RandomTokens(random);
        this.provider = Provider.of(config.issuer(), config.clientId(), config.allowedAudiences(),
                config.clientSecret(), providerSettings, metrics::providerLatency);
        AccessPolicy policy = new AccessPolicy(config.allowedDomains(), config.allowedEmails());
        TokenCipher cipher = new TokenCipher(keyring, random);
        this.sessions = new Sessions(store, codec, cipher, tokens, keyring, policy,
                config.sessionIdleTimeout(), config.sessionMaxAge());
        this.accessTokens = new AccessTokens(sessions, store, cipher, provider::refresh);
        PendingLogins pendingLogins = new PendingLogins(store, codec, tokens);
        this.loginStarter = new LoginStarter(pendingLogins, provider, sessions, config.googleApi().scope(),
                config.googleApi().offlineAccess());
        this.callbackProcessor = new CallbackProcessor(pendingLogins, provider, sessions, policy,
                config.issuer().toString(), Provider.displayName(config.issuer()));
        this.userSessions = new UserSessions(store, sessions, keyring);
        this.signOut = new SignOut(sessions, userSessions, provider, metrics);
        this.pages = new Pages(config.branding(), Provider.displayName(config.issuer()));
        this.pipeline = new Pipeline(config.publicBaseUrl(), config.cookieDomain(), clock, log, metrics, pages);
        this.authorizer = new Authorizer(sessions, new BearerTokens(provider, policy));
    }

    /** The graph for this container, built from the process environment on first use; a failed build is retried. */
    public static App fromEnvironment() {
        return FROM_ENVIRONMENT.get();
    }

    /** Builds the real graph (DynamoDB store, Secrets Manager for ARNs) from an environment map. */
    public static App build(Map<String, String> env) {
        SdkHttpClient http = AwsClients.http();
        Config config = Config.load(env, AwsClients.secretsManager(env, http));
        DynamoDbClient dynamo = AwsClients.dynamoDb(config,
                AwsClients.credentials(env, config.dynamoDbEndpoint().isPresent()), http);
        return new App(config, new DynamoDbSessionStore(dynamo, config.sessionTable()), Clock.systemUTC(),
                new SecureRandom(), Log.stdout());
    }

    public Config config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    public SessionStore store() {
        return store;
    }

    public Provider provider() {
        return provider;
    }

    public Sessions sessions() {
        return sessions;
    }

    public AccessTokens accessTokens() {
        return accessTokens;
    }

    /** The Google access tokens of signed-in users, for functions that call Google APIs for them. */
    public GoogleAccessTokens googleAccessTokens() {
        return new GoogleAccessTokens(sessions, accessTokens, pipeline);
    }

    public LoginStarter loginStarter() {
        return loginStarter;
    }

    public CallbackProcessor callbackProcessor() {
        return callbackProcessor;
    }

    public SignOut signOut() {
        return signOut;
    }

    public UserSessions userSessions() {
        return userSessions;
    }

    /** What every HTTP handler's shared pipeline needs. */
    public Pipeline pipeline() {
        return pipeline;
    }

    /** The pages, built once per container (stylesheet, its hash, the branding). */
    public Pages pages() {
        return pages;
    }

    public Authorizer authorizer() {
        return authorizer;
    }

    public Log log() {
        return log;
    }

    public Metrics metrics() {
        return metrics;
    }

    /** The configured issuer, for components that need only that. */
    public URI issuer() {
        return config.issuer();
    }
}
