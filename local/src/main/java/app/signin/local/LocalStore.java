package app.signin.local;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import app.signin.config.Config;
import app.signin.session.SessionStore;
import app.signin.store.AwsClients;
import app.signin.store.DynamoDbSessionStore;
import app.signin.store.InMemorySessionStore;
import app.signin.store.SessionTable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * The runner's session store: DynamoDB at {@code DYNAMODB_ENDPOINT} (the table created on first use, shaped
 * like the template's), otherwise in this process's memory.
 */
final class LocalStore implements AutoCloseable {
    private final SessionStore store;
    private final String description;
    private final AutoCloseable resources;

    private LocalStore(SessionStore store, String description, AutoCloseable resources) {
        this.store = store;
        this.description = description;
        this.resources = resources;
    }

    SessionStore store() {
        return store;
    }

    String description() {
        return description;
    }

    static LocalStore open(Config config, Map<String, String> env, Clock clock) {
        if (config.dynamoDbEndpoint().isPresent()) {
            return dynamoDb(config, env);
        }
        InMemorySessionStore memory = new InMemorySessionStore();
        // TTL's job: drop expired items now and then so a long-running runner does not grow without bound.
        ScheduledExecutorService janitor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "in-memory-store-janitor");
            t.setDaemon(true);
            return t;
        });
        janitor.scheduleWithFixedDelay(() -> memory.purgeExpired(clock.instant()), 1, 1, TimeUnit.MINUTES);
        return new LocalStore(memory, "in memory (sessions end when the runner stops)", janitor::shutdownNow);
    }

    private static LocalStore dynamoDb(Config config, Map<String, String> env) {
        URI endpoint = config.dynamoDbEndpoint().orElseThrow();
        AwsCredentialsProvider credentials = AwsClients.credentials(env, true);
        String table = config.sessionTable();
        boolean created = ensureTable(endpoint, Region.of(config.awsRegion()), credentials, table);
        SdkHttpClient http = AwsClients.http();
        // The client the functions get on Lambda: same timeouts and retries, only the endpoint differs.
        DynamoDbClient client = AwsClients.dynamoDb(config, credentials, http);
        return new LocalStore(new DynamoDbSessionStore(client, table),
                "DynamoDB at " + endpoint + ", table " + table + (created ? " (created)" : ""), () -> {
                    client.close();
                    http.close();
                });
    }

    /**
     * Creates the table if it is missing, shaped as {@link SessionTable} says (the template's SessionsTable,
     * its indexes included), with TTL on {@code expiresAt}. Uses a client with generous timeouts: a LocalStack that has just started can
     * take seconds to answer its first DynamoDB call.
     */
    static boolean ensureTable(URI endpoint, Region region, AwsCredentialsProvider credentials, String table) {
        try {
            return ensureTableAt(endpoint, region, credentials, table);
        } catch (SdkClientException | DynamoDbException e) {
            // One line instead of the SDK's trace: what was tried, where, and what to do about it.
            throw new IllegalStateException("no DynamoDB API answers at DYNAMODB_ENDPOINT=" + endpoint + " ("
                    + rootMessage(e) + "). Start one there (e.g. moto_server -p " + portOf(endpoint)
                    + ", or LocalStack), or unset DYNAMODB_ENDPOINT to keep sessions in memory.", e);
        }
    }

    private static boolean ensureTableAt(URI endpoint, Region region, AwsCredentialsProvider credentials, String table) {
        try (DynamoDbClient admin = DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(credentials)
                // Nothing listening is known in a second; a slow first answer still gets 30 s.
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(1))
                        .socketTimeout(Duration.ofSeconds(30)).build())
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(2)))
                .build()) {
            try {
                admin.describeTable(b -> b.tableName(table));
                return false;
            } catch (ResourceNotFoundException e) {
                // create it below
            }
            try {
                admin.createTable(SessionTable.createRequest(table));
            } catch (ResourceInUseException e) {
                return false; // another process created it a moment ago
            }
            admin.waiter().waitUntilTableExists(b -> b.tableName(table));
            admin.updateTimeToLive(b -> b.tableName(table)
                    .timeToLiveSpecification(t -> t.attributeName(DynamoDbSessionStore.TTL).enabled(true)));
            return true;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName()
                : message.lines().findFirst().orElse(message).strip();
    }

    private static int portOf(URI endpoint) {
        return endpoint.getPort() > 0 ? endpoint.getPort() : "https".equals(endpoint.getScheme()) ? 443 : 80;
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            // closing at shutdown: nothing left to do about it
        }
    }
}
