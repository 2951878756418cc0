package app.signin.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import app.signin.store.SessionTable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * A real DynamoDB API for tests, shared by the whole JVM:
 * <ol>
 * <li>{@code DYNAMODB_ENDPOINT} when set (LocalStack or anything else the developer runs);</li>
 * <li>otherwise LocalStack through Testcontainers when a Docker engine answers;</li>
 * <li>otherwise {@code moto_server} started here on a free loopback port.</li>
 * </ol>
 * If none can be had the tests fail with a message saying why - they never skip.
 */
public final class TestDynamoDb {
    private static TestDynamoDb shared;

    private final URI endpoint;
    private final String description;
    private final Process process;

    private TestDynamoDb(URI endpoint, String description, Process process) {
        this.endpoint = endpoint;
        this.description = description;
        this.process = process;
    }

    public static synchronized TestDynamoDb shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop));
        }
        return shared;
    }

    public URI endpoint() {
        return endpoint;
    }

    public String description() {
        return description;
    }

    /** A client for test set-up and inspection (not the production client). */
    public DynamoDbClient client() {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** Creates a fresh table shaped like the template's (key {@code pk}, the indexes, TTL on {@code expiresAt}). */
    public String createTable() {
        String name = "sessions-" + UUID.randomUUID().toString().substring(0, 8);
        createTable(name);
        return name;
    }

    public void createTable(String name) {
        try (DynamoDbClient client = client()) {
            try {
                client.describeTable(b -> b.tableName(name));
                return;
            } catch (ResourceNotFoundException e) {
                // create below
            }
            client.createTable(SessionTable.createRequest(name));
            client.waiter().waitUntilTableExists(b -> b.tableName(name));
            client.updateTimeToLive(b -> b.tableName(name)
                    .timeToLiveSpecification(t -> t.attributeName("expiresAt").enabled(true)));
        }
    }

    private static TestDynamoDb start() {
        String configured = System.getenv("DYNAMODB_ENDPOINT");
        if (configured != null && !configured.isBlank()) {
            return new TestDynamoDb(URI.create(configured.strip()), "DYNAMODB_ENDPOINT " + configured, null);
        }
        if (dockerSocketPresent()) {
            try {
                return LocalStack.start();
            } catch (RuntimeException | LinkageError e) {
                System.err.println("[TestDynamoDb] Docker socket present but LocalStack did not start ("
                        + e.getClass().getSimpleName() + "); falling back to moto_server");
            }
        }
        return startMoto();
    }

    private static boolean dockerSocketPresent() {
        return Files.exists(Path.of("/var/run/docker.sock")) && System.getenv("SIGNIN_TEST_NO_DOCKER") == null;
    }

    private static TestDynamoDb startMoto() {
        int port = freePort();
        Path logFile;
        Process process;
        try {
            logFile = Files.createTempFile("moto-", ".log");
            process = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("No DynamoDB API for the tests: DYNAMODB_ENDPOINT is not set, no Docker "
                    + "engine, and moto_server could not be started (pip install 'moto[server]')", e);
        }
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited with " + process.exitValue() + "; see " + logFile);
            }
            if (answers(endpoint)) {
                return new TestDynamoDb(endpoint, "moto_server on " + endpoint, process);
            }
            sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("moto_server did not answer on " + endpoint + " within 30 s; see " + logFile);
    }

    private static boolean answers(URI endpoint) {
        try {
            HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/moto-api/").toURL().openConnection();
            c.setConnectTimeout(200);
            c.setReadTimeout(1000);
            int status = c.getResponseCode();
            c.disconnect();
            return status > 0;
        } catch (IOException e) {
            return false;
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop() {
        if (process != null) {
            process.destroy();
        }
    }

    /** Kept in its own class so Testcontainers is loaded only when Docker is there. */
    private static final class LocalStack {
        static TestDynamoDb start() {
            var container = new org.testcontainers.localstack.LocalStackContainer(
                    org.testcontainers.utility.DockerImageName.parse("localstack/localstack:4"))
                    .withServices("dynamodb");
            container.start();
            return new TestDynamoDb(container.getEndpoint(), "LocalStack (Testcontainers) at " + container.getEndpoint(),
                    null);
        }
    }
}
