package app.signin;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

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
import app.signin.oidc.AccessPolicy;
import app.signin.oidc.Provider;
import app.signin.oidc.ProviderSettings;
import app.signin.session.SessionStore;
import app.signin.session.Sessions;
import app.signin.store.DynamoDbSessionStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The container-wide object graph: configuration, keys, the store client and the domain services, built
 * once per Lambda container (or once per local runner) and shared by every handler in it.
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
    /** DynamoDB: standard retry mode, 3 attempts, each bounded; the whole call bounded below 3 s. */
    public static final int DYNAMODB_MAX_ATTEMPTS = 3;
    public static final Duration DYNAMODB_CONNECT_TIMEOUT = Duration.ofMillis(500);
    public static final Duration DYNAMODB_SOCKET_TIMEOUT = Duration.ofMillis(1_000);
    public static final Duration DYNAMODB_ATTEMPT_TIMEOUT = Duration.ofMillis(1_000);
    /** Reading a secret from Secrets Manager, once per container and only where needed. */
    public static final Duration SECRETS_CALL_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DYNAMODB_CALL_TIMEOUT = Duration.ofMillis(2_500);
    /**
     * Backoff before a retry (full jitter, doubling per retry, capped). The SDK's standard throttling
     * backoff starts at 1 s, so two throttled retries could outlast the call timeout and a "retry" would
     * just be a timeout; these keep all backoff of one call under 0.5 s.
     */
    public static final Duration DYNAMODB_BACKOFF_BASE = Duration.ofMillis(25);
    public static final Duration DYNAMODB_THROTTLED_BACKOFF_BASE = Duration.ofMillis(100);
    public static final Duration DYNAMODB_MAX_BACKOFF = Duration.ofMillis(250);

    private static final Lazy<App> FROM_ENVIRONMENT = Lazy.of(() -> build(System.getenv()));

    private final Config config;
    private final Clock clock;
    private final SessionStore store;
    private final Provider provider;
    private final Sessions sessions;
    private final LoginStarter loginStarter;
    private final CallbackProcessor callbackProcessor;
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
        this.provider = Provider.of(config.issuer(), config.clientId(), config.clientSecret(), providerSettings,
                metrics::providerLatency);
        this.sessions = new Sessions(store, codec, new TokenCipher(keyring, random), tokens, keyring,
                config.sessionIdleTimeout(), config.sessionMaxAge());
        this.loginStarter = new LoginStarter(store, codec, tokens, provider);
        this.callbackProcessor = new CallbackProcessor(store, codec, provider, sessions,
                new AccessPolicy(config.allowedDomains(), config.allowedEmails()), config.issuer().toString());
    }

    /** The graph for this container, built from the process environment on first use; a failed build is retried. */
    public static App fromEnvironment() {
        return FROM_ENVIRONMENT.get();
    }

    /** Builds the real graph (DynamoDB store, Secrets Manager for ARNs) from an environment map. */
    public static App build(Map<String, String> env) {
        SdkHttpClient http = UrlConnectionHttpClient.builder()
                .connectionTimeout(DYNAMODB_CONNECT_TIMEOUT)
                .socketTimeout(DYNAMODB_SOCKET_TIMEOUT)
                .build();
        Config config = Config.load(env, secretsManager(env, http));
        DynamoDbClient dynamo = dynamoDb(config, credentials(env, config.dynamoDbEndpoint().isPresent()), http);
        return new App(config, new DynamoDbSessionStore(dynamo, config.sessionTable()), Clock.systemUTC(),
                new SecureRandom(), Log.stdout());
    }

    /** One client per container: explicit region, credentials, HTTP client, timeouts and retry policy. */
    public static DynamoDbClient dynamoDb(Config config, AwsCredentialsProvider credentials, SdkHttpClient http) {
        var builder = DynamoDbClient.builder()
                .region(Region.of(config.awsRegion()))
                .credentialsProvider(credentials)
                .httpClient(http)
                .overrideConfiguration(c -> c
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(DYNAMODB_MAX_ATTEMPTS)
                                .backoffStrategy(BackoffStrategy.exponentialDelay(DYNAMODB_BACKOFF_BASE,
                                        DYNAMODB_MAX_BACKOFF))
                                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(
                                        DYNAMODB_THROTTLED_BACKOFF_BASE, DYNAMODB_MAX_BACKOFF))
                                .build())
                        .apiCallAttemptTimeout(DYNAMODB_ATTEMPT_TIMEOUT)
                        .apiCallTimeout(DYNAMODB_CALL_TIMEOUT));
        config.dynamoDbEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * Credentials pinned to where they actually are, instead of the SDK's default chain probing profile
     * files and instance metadata on the cold path. With SnapStart, Lambda serves the role's credentials
     * from the container credentials endpoint ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI}), not as key
     * variables; without SnapStart they are in {@code AWS_ACCESS_KEY_ID} and friends. Against a local
     * endpoint (moto, LocalStack) without either, any static pair will do.
     */
    public static AwsCredentialsProvider credentials(Map<String, String> env, boolean localEndpoint) {
        if (env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") != null || env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != null) {
            return ContainerCredentialsProvider.builder().build();
        }
        boolean hasEnvCredentials = env.get("AWS_ACCESS_KEY_ID") != null && env.get("AWS_SECRET_ACCESS_KEY") != null;
        if (!hasEnvCredentials && localEndpoint) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        }
        return EnvironmentVariableCredentialsProvider.create();
    }

    /** Reads an ARN's secret string with a client built only if an ARN is actually configured. */
    private static Function<String, String> secretsManager(Map<String, String> env, SdkHttpClient http) {
        return arn -> {
            String region = arn.split(":")[3];
            try (SecretsManagerClient client = SecretsManagerClient.builder()
                    .region(Region.of(region))
                    .credentialsProvider(credentials(env, false))
                    .httpClient(http)
                    // Bounded like every other call: the callback's budget counts on 2 s at most.
                    .overrideConfiguration(c -> c
                            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(2).build())
                            .apiCallAttemptTimeout(Duration.ofMillis(900))
                            .apiCallTimeout(SECRETS_CALL_TIMEOUT))
                    .build()) {
                return client.getSecretValue(b -> b.secretId(arn)).secretString();
            }
        };
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

    public LoginStarter loginStarter() {
        return loginStarter;
    }

    public CallbackProcessor callbackProcessor() {
        return callbackProcessor;
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
