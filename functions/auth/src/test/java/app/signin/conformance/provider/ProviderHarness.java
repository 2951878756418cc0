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
import app.signin.handler.MeHandler;
import app.signin.handler.Wiring;
import app.signin.log.Log;
import app.signin.login.Pkce;
import app.signin.oidc.ProviderSettings;
import app.signin.store.DynamoDbSessionStore;
import app.signin.testing.ApiGateway;
import app.signin.testing.Browser;
import app.signin.testing.Handlers;
import app.signin.testing.RecordingSessionStore;
import app.signin.testing.SiteUnderTest;
import app.signin.testing.TestDynamoDb;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What every hostile-provider test shares: a fresh {@link HostileProvider}, a fresh table in the shared
 * DynamoDB API, and the real application graph over them, driven through the real handlers. An ID token
 * reaches the verifier by one of two {@link EntryPoint}s: at the {@link EntryPoint#CALLBACK callback} the
 * way a browser would - {@code GET /login}, then {@code GET /callback?code=...&state=...} with the binding
 * cookie, the provider returning the token from its token endpoint; or as a {@link EntryPoint#BEARER bearer
 * token} on {@code GET /api/me}, through API Gateway's authorizer step and the real authorizer and
 * function. Each test programs the provider, presents tokens, and checks the outcome with
 * {@link #assertRejected} or {@link #assertSignedIn} - whose meaning is each entry point's own.
 */
abstract class ProviderHarness {
    /** The two ways an ID token reaches the one verifier. */
    enum EntryPoint {
        /** From the provider's token endpoint, during a login. */
        CALLBACK,
        /** From a client, as {@code Authorization: Bearer} on an API call. */
        BEARER
    }

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
    /** Every store call the application makes, so a test can prove the bearer path makes none. */
    RecordingSessionStore store;
    private Log log;
    private DynamoDbClient dynamoClient;
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();

    /** The signing key the provider publishes; each test class generates its own once. */
    abstract JWK signingKey();

    ProviderSettings settings() {
        return FAST;
    }

    /** Settings a test class adds to the environment (e.g. {@code ALLOWED_AUDIENCES}). */
    Map<String, String> extraEnv() {
        return Map.of();
    }

    /** Where this test class presents its tokens; the parameterised suites choose per run. */
    EntryPoint entryPoint() {
        return EntryPoint.CALLBACK;
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
        env.put(Config.SESSION_SECRET, SiteUnderTest.SESSION_SECRET);
        env.put(Config.SESSION_TABLE, table);
        env.put(Config.DYNAMODB_ENDPOINT, DYNAMO.endpoint().toString());
        env.put(Config.AWS_REGION, "us-east-1");
        env.putAll(extraEnv());
        Config config = Config.load(env, arn -> {
            throw new IllegalStateException("no Secrets Manager in tests");
        });
        log = new Log(new PrintStream(logBytes, true, StandardCharsets.UTF_8));
        store = new RecordingSessionStore(new DynamoDbSessionStore(dynamoClient, table));
        return new App(config, store, Clock.systemUTC(), new SecureRandom(), log, providerSettings);
    }

    /**
     * One presentation of a token: at the callback, a login started in a fresh browser (what the
     * authorization request carried, ready for its callback); as a bearer token, a fresh API client.
     */
    final class Attempt {
        final EntryPoint entry;
        final Browser browser;
        final String state;
        final String nonce;
        final String codeChallenge;

        private Attempt(Browser browser, String location) {
            this.entry = EntryPoint.CALLBACK;
            this.browser = browser;
            this.state = param(location, "state");
            this.nonce = param(location, "nonce");
            this.codeChallenge = param(location, "code_challenge");
        }

        /** An API client: no login, so no state, nonce or PKCE - the token is all it has. */
        private Attempt(Browser apiClient) {
            this.entry = EntryPoint.BEARER;
            this.browser = apiClient;
            this.state = null;
            this.nonce = null;
            this.codeChallenge = null;
        }

        /** The provider's redirect back: code and state, with this browser's cookies. */
        APIGatewayV2HTTPResponse callback() {
            return browser.get("/callback?code=" + CODE + "&state=" + state);
        }

        /**
         * A valid ID token for this presentation, signed by the published key; tests then spoil one thing.
         * A bearer token carries no nonce: there was no login to send one.
         */
        IdTokens.Draft token() {
            IdTokens.Draft draft = IdTokens.valid(signingKey(), provider.issuer().toString(), nonce);
            return entry == EntryPoint.BEARER ? draft.without("nonce") : draft;
        }
    }

    /** A fresh presentation at this class's entry point. */
    Attempt start() {
        return entryPoint() == EntryPoint.CALLBACK ? startLogin() : apiClient();
    }

    /** A client of {@code GET /api/me}: API Gateway's authorizer step over the real authorizer and function. */
    Attempt apiClient() {
        return new Attempt(new Browser(Map.of("/api/me",
                new ApiGateway(Wiring.authorizer(app), new MeHandler(log, app.config().allowedReturnOrigins())))));
    }

    /** {@code GET /api/me} with exactly these headers (for malformed Authorization headers). */
    APIGatewayV2HTTPResponse callApi(Attempt client, Map<String, String> headers) {
        return client.browser.send("GET", "/api/me", headers, null);
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

    /**
     * Presents {@code idToken}: at the callback, runs the login whose token endpoint returns it; as a bearer
     * token, calls the API with it. Returns the response the client gets.
     */
    APIGatewayV2HTTPResponse loginWith(Attempt attempt, String idToken) {
        if (attempt.entry == EntryPoint.BEARER) {
            return callApi(attempt, Map.of("authorization", "Bearer " + idToken));
        }
        provider.issue(idToken);
        return attempt.callback();
    }

    /** Presents {@code token} at the attempt's entry point; expects a refusal that never logs the token. */
    APIGatewayV2HTTPResponse rejects(Attempt attempt, String token, int status, String reason) {
        APIGatewayV2HTTPResponse r = loginWith(attempt, token);
        assertRejected(attempt, r, status, reason);
        assertCodeSentOnce(attempt);
        for (String part : IdTokens.parts(token)) {
            if (part.length() > 16) {
                assertThat(log()).as("the log quotes no part of the token").doesNotContain(part);
            }
        }
        return r;
    }

    /** Refused as an invalid token (401), and by the check the case is about: the log names it. */
    void rejectsAsInvalid(Attempt attempt, IdTokens.Draft draft, String because) {
        rejects(attempt, draft.compact(), 401, "id_token_invalid");
        assertThat(log()).contains(because);
    }

    /**
     * The outcome every refusal must have: the status and reason code, an HTML page naming the reason and
     * the request id, no stack trace, no session cookie, no session in the table, and a log line for the
     * same request id - which quotes neither the code, the client secret nor the token.
     */
    void assertRejected(Attempt attempt, APIGatewayV2HTTPResponse r, int status, String reason) {
        if (attempt.entry == EntryPoint.BEARER) {
            assertBearerRefused(r, status, reason);
            return;
        }
        assertRejected(attempt.browser, r, status, reason);
    }

    /**
     * A refused bearer token: RFC 6750's 401 {@code invalid_token} with {@code WWW-Authenticate} for anything
     * that is the token's fault (whatever the callback would have answered - 401 or 403), or the same 503 as
     * the callback when the provider's keys cannot be had; JSON, never a page or a stack trace; the check
     * that failed named in the log; and not one call to the session store.
     */
    void assertBearerRefused(APIGatewayV2HTTPResponse r, int callbackStatus, String reason) {
        String log = log();
        boolean unavailable = callbackStatus == 503;
        assertThat(r.getStatusCode()).as("status; log:%n%s", log).isEqualTo(unavailable ? 503 : 401);
        assertThat(r.getHeaders().get("content-type")).isEqualTo("application/json");
        assertThat(r.getBody()).startsWith("{\"error\":\"" + (unavailable ? reason : "invalid_token") + "\"")
                .contains("\"requestId\":")
                .doesNotContain("Exception", "\tat ", ".java:", "com.nimbusds", "app.signin.", "<");
        if (unavailable) {
            assertThat(r.getHeaders()).containsKey("retry-after");
        } else {
            assertThat(r.getHeaders().get("www-authenticate")).startsWith("Bearer error=\"invalid_token\"");
            assertThat(r.getBody()).contains("\"error_description\":\"");
        }
        assertThat(log).contains("\"handler\":\"authorizer\"").contains(reason);
        assertThat(log).doesNotContain(HostileProvider.CLIENT_SECRET, "ya29.");
        assertThat(store.totalCalls()).as("session store calls on the bearer path").isZero();
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

    /**
     * Accepted. At the callback: redirected home with a session cookie, one session stored, the index shows
     * the user. As a bearer token: {@code /api/me} answers for the user, via bearer, without a store call.
     */
    void assertSignedIn(Attempt attempt, APIGatewayV2HTTPResponse r) {
        if (attempt.entry == EntryPoint.BEARER) {
            assertThat(r.getStatusCode()).as("status; log:%n%s", log()).isEqualTo(200);
            assertThat(r.getBody()).startsWith("{\"authenticated\":true,").contains("\"email\":\"alice@example.com\"")
                    .endsWith(",\"via\":\"bearer\"}");
            assertThat(store.totalCalls()).as("session store calls on the bearer path").isZero();
            return;
        }
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
        if (attempt.entry == EntryPoint.BEARER) {
            // No login, no code: the provider's token endpoint is never involved.
            assertThat(provider.requests(HostileProvider.TOKEN)).as("token requests").isZero();
            return;
        }
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
