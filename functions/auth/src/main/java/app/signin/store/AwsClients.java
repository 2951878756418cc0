package app.signin.store;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Function;

import app.signin.config.Config;
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
 * The AWS clients a container uses - DynamoDB for the store, Secrets Manager for secrets given as ARNs - with
 * their credentials, timeouts and retry policy, built in one place next to the store that depends on them.
 */
public final class AwsClients {
    /** DynamoDB: standard retry mode, 3 attempts, each bounded; the whole call bounded below 3 s. */
    public static final int DYNAMODB_MAX_ATTEMPTS = 3;
    public static final Duration DYNAMODB_CONNECT_TIMEOUT = Duration.ofMillis(500);
    public static final Duration DYNAMODB_SOCKET_TIMEOUT = Duration.ofMillis(1_000);
    public static final Duration DYNAMODB_ATTEMPT_TIMEOUT = Duration.ofMillis(1_000);
    public static final Duration DYNAMODB_CALL_TIMEOUT = Duration.ofMillis(2_500);
    /** Reading a secret from Secrets Manager, once per container and only where needed. */
    public static final Duration SECRETS_CALL_TIMEOUT = Duration.ofSeconds(2);
    /**
     * Backoff before a retry (full jitter, doubling per retry, capped). The SDK's standard throttling
     * backoff starts at 1 s, so two throttled retries could outlast the call timeout and a "retry" would
     * just be a timeout; these keep all backoff of one call under 0.5 s.
     */
    public static final Duration DYNAMODB_BACKOFF_BASE = Duration.ofMillis(25);
    public static final Duration DYNAMODB_THROTTLED_BACKOFF_BASE = Duration.ofMillis(100);
    public static final Duration DYNAMODB_MAX_BACKOFF = Duration.ofMillis(250);

    private AwsClients() {
    }

    /** The HTTP client the AWS clients share: the JDK's, bounded by the DynamoDB connect and socket timeouts. */
    public static SdkHttpClient http() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(DYNAMODB_CONNECT_TIMEOUT)
                .socketTimeout(DYNAMODB_SOCKET_TIMEOUT)
                .build();
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
                        .apiCallTimeout(DYNAMODB_CALL_TIMEOUT)
                        .scheduledExecutorService(timeoutScheduler()));
        config.dynamoDbEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * The thread that enforces the DynamoDB client's call and attempt timeouts (each call schedules two
     * timers and cancels them when it returns). The SDK's default is a pool of five threads started one per
     * timer until five exist; a container serves one request at a time, so that was up to three threads
     * created on the first requests after a SnapStart restore, each paid in that request's CPU. One thread,
     * started here, serves every timer of the container; the priming twins share it (their configuration
     * is the real client's), so it is warm in the snapshot. Cancelled timers leave the queue at once. The
     * client does not shut a scheduler it was given down; this one lives as long as the container.
     */
    static ScheduledExecutorService timeoutScheduler() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "dynamodb-timeouts");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.prestartCoreThread();
        return scheduler;
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
    public static Function<String, String> secretsManager(Map<String, String> env, SdkHttpClient http) {
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
}
