package app.signin.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import app.signin.config.Config;
import app.signin.config.ConfigException;
import app.signin.error.Failure;
import app.signin.handler.CallbackHandler;
import app.signin.handler.GoogleUserinfoHandler;
import app.signin.handler.IndexHandler;
import app.signin.handler.LoginHandler;
import app.signin.handler.LogoutHandler;
import app.signin.handler.NotFoundHandler;
import app.signin.store.DynamoDbSessionStore;
import app.signin.store.InMemorySessionStore;
import app.signin.testing.TestDynamoDb;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** What the runner picks from the environment, what it says about it, and how it starts and stops. */
class LocalRunnerTest {
    static final Path TEMPLATE = ApiTemplate.find(Path.of(""));

    final ByteArrayOutputStream output = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
    LocalRunner.Running runner;

    @AfterEach
    void stop() {
        if (runner != null) {
            runner.close();
        }
    }

    LocalRunner.Running start(Map<String, String> env) {
        Map<String, String> withPort = new HashMap<>(env);
        withPort.putIfAbsent(LocalRunner.PORT, "0");
        runner = LocalRunner.start(withPort, TEMPLATE, out, Instant.now());
        return runner;
    }

    String printed() {
        return output.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withNothingConfigured_usesTheStandInAndMemory_andSaysSoLoudly() throws Exception {
        start(Map.of());

        assertThat(printed())
                .contains("URL:         " + runner.url() + "/")
                .contains("local stand-in for Google at http://localhost:")
                .contains(LocalRunner.STAND_IN_BANNER)
                .contains("Store:       in memory")
                .contains("SESSION_SECRET generated for this run")
                .containsPattern("Started in \\d+ ms");
        assertThat(runner.app().store()).isInstanceOf(InMemorySessionStore.class);
        assertThat(runner.app().config().publicBaseUrl()).contains(runner.url());
        assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(runner.url().resolve("/")).build(),
                BodyHandlers.ofString()).body()).contains("Sign in with Google");
    }

    @Test
    void generatedSessionSecret_isNeverPrinted() {
        start(Map.of());

        String secret = runner.app().config().sessionSecrets().getFirst();
        assertThat(secret).hasSizeGreaterThanOrEqualTo(Config.MIN_SECRET_LENGTH);
        assertThat(printed()).doesNotContain(secret);
    }

    @Test
    void eachFunctionGetsOneHandlerInstance_overTheSharedGraph() {
        start(Map.of());

        var handlers = runner.handlers();
        // The operators' function has no route: nothing locally invokes it, so the runner builds none.
        assertThat(handlers).containsOnlyKeys("IndexFunction", "LoginFunction", "CallbackFunction", "LogoutFunction",
                "AuthorizerFunction", "MeFunction", "HelloFunction", "HealthFunction", "NotFoundFunction",
                "GoogleUserinfoFunction", "SessionsFunction", "EndSessionFunction");
        assertThat(handlers.get("IndexFunction")).isInstanceOf(IndexHandler.class);
        assertThat(handlers.get("LoginFunction")).isInstanceOf(LoginHandler.class);
        assertThat(handlers.get("CallbackFunction")).isInstanceOf(CallbackHandler.class);
        assertThat(handlers.get("LogoutFunction")).isInstanceOf(LogoutHandler.class);
        assertThat(handlers.get("NotFoundFunction")).isInstanceOf(NotFoundHandler.class);
        assertThat(handlers.get("GoogleUserinfoFunction")).isInstanceOf(GoogleUserinfoHandler.class);
        assertThat(handlers.get("SessionsFunction")).isInstanceOf(app.signin.handler.SessionsHandler.class);
        assertThat(handlers.get("EndSessionFunction")).isInstanceOf(app.signin.handler.EndSessionHandler.class);
    }

    @Test
    void withGoogleClientId_usesGoogle_andNamesTheRedirectUriToRegister() {
        String clientSecret = "test-google-client-secret-" + UUID.randomUUID();
        start(Map.of(Config.GOOGLE_CLIENT_ID, "1234-abc.apps.googleusercontent.com",
                Config.GOOGLE_CLIENT_SECRET, clientSecret));

        assertThat(runner.app().issuer()).isEqualTo(Config.GOOGLE_ISSUER);
        assertThat(runner.app().config().clientId()).isEqualTo("1234-abc.apps.googleusercontent.com");
        assertThat(printed())
                .contains("Google (https://accounts.google.com)")
                .contains("redirect URI to register: " + runner.url() + "/callback")
                .doesNotContain(LocalRunner.STAND_IN_BANNER)
                .doesNotContain(clientSecret);
    }

    @Test
    void withDynamoDbEndpoint_createsTheTableWithTtl_once() {
        TestDynamoDb dynamo = TestDynamoDb.shared();
        String table = "runner-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> env = Map.of(Config.DYNAMODB_ENDPOINT, dynamo.endpoint().toString(), Config.SESSION_TABLE, table);

        start(env);

        assertThat(runner.app().store()).isInstanceOf(DynamoDbSessionStore.class);
        assertThat(printed()).contains("DynamoDB at " + dynamo.endpoint() + ", table " + table + " (created)");
        try (DynamoDbClient client = dynamo.client()) {
            var description = client.describeTable(b -> b.tableName(table)).table();
            assertThat(description.keySchema()).singleElement()
                    .satisfies(k -> assertThat(k.attributeName()).isEqualTo(DynamoDbSessionStore.PK));
            var ttl = client.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
            assertThat(ttl.attributeName()).isEqualTo(DynamoDbSessionStore.TTL);
            assertThat(ttl.timeToLiveStatus()).isIn(TimeToLiveStatus.ENABLED, TimeToLiveStatus.ENABLING);
        }

        runner.close();
        output.reset();
        start(env);
        assertThat(printed()).contains("table " + table).doesNotContain("(created)");
    }

    @Test
    void badConfiguration_failsTheStart_namingTheVariable() {
        assertThatThrownBy(() -> start(Map.of(Config.SESSION_SECRET, "too-short")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(Config.SESSION_SECRET);
        assertThatThrownBy(() -> start(Map.of(Config.SESSION_SECRET_ARN, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x-AbCdEf")))
                .hasMessageContaining("SESSION_SECRET_ARN").hasMessageContaining("unset the ARN");
        assertThatThrownBy(() -> start(Map.of(LocalRunner.PORT, "http")))
                .hasMessageContaining("PORT must be a port number");
    }

    @Test
    void aPortInUse_isReportedAsSuch() {
        start(Map.of());
        int taken = runner.url().getPort();

        assertThatThrownBy(() -> LocalRunner.start(Map.of(LocalRunner.PORT, Integer.toString(taken)), TEMPLATE, out,
                Instant.now())).hasMessageContaining("port " + taken + " is in use");
    }

    /** The real entry point, in its own JVM: serves until the process is told to stop, then stops cleanly. */
    @Test
    void main_servesUntilTerminated_thenStopsCleanly() throws Exception {
        Process process = runnerProcess();
        try {
            StringBuilder seen = new StringBuilder();
            BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            URI url = CompletableFuture.supplyAsync(() -> readUntilStarted(lines, seen)).get(60, TimeUnit.SECONDS);

            assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.resolve("/")).build(),
                    BodyHandlers.ofString()).statusCode()).isEqualTo(200);

            // SIGINT, which is what Ctrl-C sends. (Process.destroy would send SIGTERM and close our end of
            // the output before the last lines could be read.)
            assertThat(new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor()).isZero();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
            lines.lines().forEach(l -> seen.append(l).append('\n'));
            assertThat(seen.toString()).contains("Stopped.");
        } finally {
            process.destroyForcibly();
        }
    }

    /** What ./dev runs once per build to record the JVM's start-up cache: start, then exit on its own. */
    @Test
    void main_withExitWhenStarted_startsAndExitsByItself() throws Exception {
        Process process = runnerProcess("--exit-when-started");
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited by itself").isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).containsPattern("Started in \\d+ ms");
        } finally {
            process.destroyForcibly();
        }
    }

    /** The JDK server's own "URISyntaxException thrown" page never shows: the app's error page does. */
    @Test
    void aMalformedUrl_getsTheAppsPlainErrorPage_notTheHttpServersOwn() throws Exception {
        start(Map.of());
        String response;
        try (java.net.Socket socket = new java.net.Socket("localhost", runner.url().getPort())) {
            socket.getOutputStream().write(("GET /callback?code=%zz&state=x%zz HTTP/1.1\r\nHost: localhost\r\n"
                    + "Accept: text/html\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(response).startsWith("HTTP/1.1 400 ");
        assertThat(response.toLowerCase(java.util.Locale.ROOT)).contains("content-type: text/html; charset=utf-8",
                "content-security-policy: ", "cache-control: no-store");
        // The app's page for Failure.BAD_REQUEST, exactly as a handler would render it.
        String page = response.substring(response.indexOf("\r\n\r\n") + 4);
        String requestId = page.replaceAll("(?s).*<code id=\"request-id\">([^<]+)</code>.*", "$1");
        assertThat(page).isEqualTo(runner.app().pages().error(Failure.BAD_REQUEST, null, requestId).build(null).getBody());
        assertThat(response).contains("id=\"error\"", "bad_request").doesNotContain("URISyntaxException", "<h1>400");
        assertThat(printed()).contains("GET (malformed URL) -> 400").doesNotContain("%zz");

        // Everything else still reaches the functions, a body included.
        var http = HttpClient.newHttpClient();
        assertThat(http.send(HttpRequest.newBuilder(runner.url().resolve("/")).build(), BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
        int logout = http.send(HttpRequest.newBuilder(runner.url().resolve("/logout"))
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + "x".repeat(5000)))
                .header("content-type", "application/x-www-form-urlencoded").build(), BodyHandlers.ofString())
                .statusCode();
        assertThat(printed()).contains("POST /logout -> " + logout + " (LogoutFunction");
    }

    /** A DYNAMODB_ENDPOINT where nothing listens: one line saying what was tried, where, and what to do. */
    @Test
    void main_withUnreachableDynamoDbEndpoint_failsInOneLineNamingItAndTheFix() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + closedPort;
        Process process = runnerProcess(Map.of(Config.DYNAMODB_ENDPOINT, endpoint));
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited by itself").isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(output).isEqualTo(1);
            List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).as(output).hasSize(1);
            assertThat(lines.getFirst()).startsWith("Cannot start: no DynamoDB API answers at DYNAMODB_ENDPOINT=" + endpoint)
                    .contains("moto_server -p " + closedPort).contains("unset DYNAMODB_ENDPOINT");
        } finally {
            process.destroyForcibly();
        }
    }

    private static Process runnerProcess(String... extraArgs) throws java.io.IOException {
        return runnerProcess(Map.of(), extraArgs);
    }

    private static Process runnerProcess(Map<String, String> env, String... extraArgs) throws java.io.IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                LocalRunner.class.getName(), "--template", TEMPLATE.toString()));
        command.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put(LocalRunner.PORT, "0");
        builder.environment().remove(Config.GOOGLE_CLIENT_ID);
        builder.environment().remove(Config.DYNAMODB_ENDPOINT);
        builder.environment().putAll(env);
        return builder.start();
    }

    private static URI readUntilStarted(BufferedReader lines, StringBuilder seen) {
        Pattern urlLine = Pattern.compile("URL:\\s+(http://localhost:\\d+)/");
        URI url = null;
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                seen.append(line).append('\n');
                Matcher m = urlLine.matcher(line);
                if (m.find()) {
                    url = URI.create(m.group(1));
                }
                if (line.startsWith("Started in ") && url != null) {
                    return url;
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("the runner exited before starting:\n" + seen);
    }
}
