package app.signin.conformance.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.nimbusds.jose.jwk.JWK;

import app.signin.App;
import app.signin.config.Config;
import app.signin.log.Log;
import app.signin.login.Pkce;
import app.signin.oidc.ProviderSettings;
import app.signin.store.DynamoDbSessionStore;
import app.signin.testing.Browser;
import app.signin.testing.Handlers;
import app.signin.testing.TestApps;
import app.signin.testing.TestDynamoDb;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What every hostile-provider test shares: a fresh {@link HostileProvider}, a fresh table in the shared
 * DynamoDB API, and the real application graph over them, driven through the real handlers the way a
 * browser would - {@code GET /login}, then {@code GET /callback?code=...&state=...} with the binding
 * cookie. Each test programs the provider, runs one or more logins, and checks the outcome with
 * {@link #assertRejected} or {@link #assertSignedIn}.
 */
abstract class ProviderHarness {
    static final TestDynamoDb DYNAMO = TestDynamoDb.shared();
    /** The authorization code every callback carries: distinctive, so a test can prove it never reaches a log. */
    static final String CODE = "4/0AQlEd8hostile-provider-test-code";
    static final String SESSION_COOKIE = "__Host-session";
    /**
     * Short provider timeouts, so a hanging provider costs a second. The production values are longer;
     * the mechanism (a whole-call deadline) is the same.
     */
    static final ProviderSettings FAST = new ProviderSettings(Duration.ofMillis(500), Duration.ofMillis(1_000),
            Duration.ofMillis(500), Duration.ofHours(1));

    HostileProvider provider;
    String table;
    App app;
    private DynamoDbClient dynamoClient;
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();

    /** The signing key the provider publishes; each test class generates its own once. */
    abstract JWK signingKey();

    ProviderSettings settings() {
        return FAST;
    }

    @BeforeEach
    void startPeers() {
        provider = new HostileProvider();
        provider.publish(signingKey());
        table = DYNAMO.createTable();
        dynamoClient = DYNAMO.client();
        app = newApp(settings());
    }

    @AfterEach
    void stopPeers() {
        provider.close();
        dynamoClient.close();
    }

    /** A fresh application graph (empty discovery and key caches) over the same provider and table. */
    App newApp(ProviderSettings providerSettings) {
        Map<String, String> env = new HashMap<>();
        env.put(Config.OIDC_ISSUER, provider.issuer().toString());
        env.put(Config.GOOGLE_CLIENT_ID, HostileProvider.CLIENT_ID);
        env.put(Config.GOOGLE_CLIENT_SECRET, HostileProvider.CLIENT_SECRET);
        env.put(Config.SESSION_SECRET, TestApps.SESSION_SECRET);
        env.put(Config.SESSION_TABLE, table);
        env.put(Config.DYNAMODB_ENDPOINT, DYNAMO.endpoint().toString());
        env.put(Config.AWS_REGION, "us-east-1");
        Config config = Config.load(env, arn -> {
            throw new IllegalStateException("no Secrets Manager in tests");
        });
        Log log = new Log(new PrintStream(logBytes, true, StandardCharsets.UTF_8));
        return new App(config, new DynamoDbSessionStore(dynamoClient, table), Clock.systemUTC(), new SecureRandom(),
                log, providerSettings);
    }

    /** A login started in a fresh browser: what the authorization request carried, ready for its callback. */
    final class Attempt {
        final Browser browser;
        final String state;
        final String nonce;
        final String codeChallenge;

        private Attempt(Browser browser, String location) {
            this.browser = browser;
            this.state = param(location, "state");
            this.nonce = param(location, "nonce");
            this.codeChallenge = param(location, "code_challenge");
        }

        /** The provider's redirect back: code and state, with this browser's cookies. */
        APIGatewayV2HTTPResponse callback() {
            return browser.get("/callback?code=" + CODE + "&state=" + state);
        }

        /** A valid ID token for this login, signed by the published key; tests then spoil one thing. */
        IdTokens.Draft token() {
            return IdTokens.valid(signingKey(), provider.issuer().toString(), nonce);
        }
    }

    Browser browser() {
        return new Browser(Handlers.routes(app));
    }

    Attempt startLogin() {
        Browser browser = browser();
        APIGatewayV2HTTPResponse login = browser.get("/login");
        assertThat(login.getStatusCode()).as("GET /login").isEqualTo(302);
        assertThat(browser.cookies()).as("binding cookie").isNotEmpty();
        return new Attempt(browser, login.getHeaders().get("location"));
    }

    /** Runs one login whose token endpoint returns {@code idToken}; returns the callback's response. */
    APIGatewayV2HTTPResponse loginWith(Attempt attempt, String idToken) {
        provider.issue(idToken);
        return attempt.callback();
    }

    /**
     * The outcome every refusal must have: the status and reason code, an HTML page naming the reason and
     * the request id, no stack trace, no session cookie, no session in the table, and a log line for the
     * same request id - which quotes neither the code, the client secret nor the token.
     */
    void assertRejected(Attempt attempt, APIGatewayV2HTTPResponse r, int status, String reason) {
        assertRejected(attempt.browser, r, status, reason);
    }

    void assertRejected(Browser browser, APIGatewayV2HTTPResponse r, int status, String reason) {
        String log = log();
        assertThat(r.getStatusCode()).as("status; log:%n%s", log).isEqualTo(status);
        assertThat(r.getHeaders().get("content-type")).startsWith("text/html");
        String body = r.getBody();
        assertThat(body).contains("<code id=\"reason\">" + reason + "</code>");
        Matcher id = Pattern.compile("request id <code id=\"request-id\">([0-9a-f-]{36})</code>").matcher(body);
        assertThat(id.find()).as("page shows the request id").isTrue();
        assertThat(body).doesNotContain("Exception", "\tat ", ".java:", "com.nimbusds", "app.signin.");
        List<String> cookies = r.getCookies() == null ? List.of() : r.getCookies();
        assertThat(cookies).noneMatch(c -> c.startsWith(SESSION_COOKIE + "=") && !c.contains("Max-Age=0"));
        assertThat(browser.cookies()).doesNotContainKey(SESSION_COOKIE);
        assertThat(sessionItems()).as("session items").isEmpty();
        assertThat(log).contains("\"requestId\":\"" + id.group(1) + "\"");
        assertThat(log).contains("\"reason\":\"" + reason + "\"");
        assertThat(log).doesNotContain(CODE, HostileProvider.CLIENT_SECRET, "ya29.");
        if (status == 503) {
            assertThat(r.getHeaders()).containsKey("retry-after");
        }
    }

    /** A finished login: redirected home with a session cookie, one session stored, the index shows the user. */
    void assertSignedIn(Attempt attempt, APIGatewayV2HTTPResponse r) {
        assertThat(r.getStatusCode()).as("status; log:%n%s", log()).isEqualTo(303);
        assertThat(attempt.browser.cookies()).containsKey(SESSION_COOKIE);
        assertThat(attempt.browser.get("/").getBody()).contains("alice@example.com");
    }

    /**
     * The token endpoint saw this login's code exactly once, with the PKCE verifier that matches the
     * challenge sent in the authorization request, the client's id and secret and the registered
     * redirect URI - and nothing sent twice.
     */
    void assertCodeSentOnce(Attempt attempt) {
        assertThat(provider.requests(HostileProvider.TOKEN)).as("token requests").isEqualTo(1);
        Map<String, String> form = provider.tokenRequests().getFirst();
        assertThat(form).doesNotContainKey("(duplicated)");
        assertThat(form).containsEntry("grant_type", "authorization_code")
                .containsEntry("code", CODE)
                .containsEntry("client_id", HostileProvider.CLIENT_ID)
                .containsEntry("client_secret", HostileProvider.CLIENT_SECRET)
                .containsEntry("redirect_uri", "https://" + Browser.DOMAIN + "/callback");
        assertThat(Pkce.s256Challenge(form.get("code_verifier"))).isEqualTo(attempt.codeChallenge);
    }

    String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    List<Map<String, AttributeValue>> sessionItems() {
        return items("s#");
    }

    List<Map<String, AttributeValue>> pendingLoginItems() {
        return items("l#");
    }

    private List<Map<String, AttributeValue>> items(String prefix) {
        return dynamoClient.scan(b -> b.tableName(table).consistentRead(true)).items().stream()
                .filter(i -> i.get("pk").s().startsWith(prefix)).toList();
    }

    static String param(String url, String name) {
        Matcher m = Pattern.compile("[?&]" + name + "=([^&]+)").matcher(url);
        assertThat(m.find()).as("%s in %s", name, url).isTrue();
        return URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
    }
}
