package app.signin.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.EnumSource.Mode;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.App;
import app.signin.config.Config;
import app.signin.handler.Wiring;
import app.signin.log.Function;
import app.signin.snapstart.Primeable;
import app.signin.snapstart.SnapStartPriming;
import app.signin.store.AwsClients;
import app.signin.store.DynamoDbSessionStore;
import app.signin.testing.Browser;
import app.signin.testing.SiteUnderTest;
import app.signin.testing.TestDynamoDb;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * SnapStart priming - each function's handler priming itself and the components it uses - runs the real code against the real peers, and leaves nothing unique in the snapshot:
 * the application's SecureRandom is never drawn from, no session is created, and whatever a restored copy
 * needs to be unique (state, nonce, verifier, session id) is drawn per request, after restore.
 */
class SnapStartPrimingTest {
    SiteUnderTest site;
    CountingRandom random;
    App app;

    /** DynamoDB as deployed on the system clock, with a random source that counts its draws. */
    @BeforeEach
    void peers() {
        random = new CountingRandom();
        site = SiteUnderTest.builder().dynamoDbStore().clock(Clock.systemUTC()).random(random).start();
        app = site.app();
    }

    @AfterEach
    void stop() {
        site.close();
    }

    @ParameterizedTest
    @EnumSource(value = Function.class, mode = Mode.INCLUDE, names = { "INDEX", "LOGIN", "CALLBACK", "LOGOUT", "AUTHORIZER",
            "GOOGLE_USERINFO", "SESSIONS", "END_SESSION", "END_USER_SESSIONS" })
    void priming_runsEveryStep_drawsNoRandomness_andLeavesNoUsableItemNorSocket(Function function) {
        OpenSockets before = OpenSockets.now();

        prime(function, app);

        assertThat(site.logText()).as("no step skipped").doesNotContain("skipped")
                .as("the JIT warmed with the function's own requests").contains("snapstart priming (" + function.label()
                        + "): ", " warming rounds in ");
        assertThat(random.draws.get()).as("SecureRandom draws during priming").isZero();
        // Nothing priming opens stays open in the snapshot but an idle keep-alive connection to a real peer
        // (the provider's discovery): no listener, no connection to anything of its own.
        Set<Integer> peers = Set.of(TestDynamoDb.shared().endpoint().getPort(),
                URI.create(site.env().get(Config.OIDC_ISSUER)).getPort());
        assertThat(OpenSockets.now().openedSince(before)).as("sockets priming left open")
                .allMatch(socket -> !socket.listening() && peers.contains(socket.remotePort()));
        List<Map<String, AttributeValue>> items;
        try (DynamoDbClient client = TestDynamoDb.shared().client()) {
            items = client.scan(b -> b.tableName(site.env().get(Config.SESSION_TABLE)).consistentRead(true)).items();
        }
        assertThat(items).noneMatch(i -> i.get("pk").s().startsWith("s#"));
        // The login function's primed put is born expired: no callback can ever accept it.
        assertThat(items).allMatch(i -> Long.parseLong(i.get("expiresAt").n()) <= Instant.now().getEpochSecond());
        // ... and recently, so DynamoDB TTL removes it: TTL skips items whose expiry is over five years past.
        assertThat(items).as("expiresAt within TTL's reach").allMatch(
                i -> Long.parseLong(i.get("expiresAt").n()) > Instant.now().minus(Duration.ofDays(1)).getEpochSecond());
    }

    @Test
    void operatorsFunctionPriming_logsAndCountsNoInvocation() {
        prime(Function.END_USER_SESSIONS, app);

        // Its primed payloads are no operator's: no request line, no metric (SessionsEnded, StoreErrors). The one
        // line naming the function is priming's own report of its JIT warming.
        assertThat(site.logText().lines().filter(l -> l.contains("end_user_sessions")))
                .allMatch(l -> l.contains("\"message\":\"snapstart priming (end_user_sessions): ")
                        && l.contains(" warming rounds in "));
        assertThat(site.logText()).doesNotContain("_aws");
    }

    @Test
    void afterPriming_everyLoginDrawsFreshValues_soRestoredCopiesCannotShareThem() {
        prime(Function.LOGIN, app);
        prime(Function.CALLBACK, app);
        assertThat(random.draws.get()).isZero();
        Browser browser = new Browser(Map.of("/login", Wiring.login(app)));

        APIGatewayV2HTTPResponse first = browser.get("/login");
        int drawsForOneLogin = random.draws.get();
        APIGatewayV2HTTPResponse second = browser.get("/login");

        assertThat(drawsForOneLogin).as("state, nonce and verifier drawn by the request").isGreaterThanOrEqualTo(3);
        assertThat(param(first, "state")).isNotEqualTo(param(second, "state"));
        assertThat(param(first, "nonce")).isNotEqualTo(param(second, "nonce"));
        assertThat(param(first, "code_challenge")).isNotEqualTo(param(second, "code_challenge"));
    }

    /**
     * The Google API function's role may read a session and update its tokens (conditionally); priming makes
     * exactly those two calls on the priming key, neither of which writes anything, and none to the provider:
     * no discovery, no token refresh, no userinfo - nothing of Google's is fetched into the snapshot.
     */
    @Test
    void googleUserinfoPriming_makesOnlyTheReadAndTheConditionalUpdateItsRoleAllows_andFetchesOnlyDiscovery()
            throws Exception {
        String table = site.env().get(Config.SESSION_TABLE);
        try (CountingProxy counted = new CountingProxy(TestDynamoDb.shared().endpoint());
                DynamoDbClient viaProxy = DynamoDbClient.builder().endpointOverride(counted.endpoint())
                        .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                        .httpClient(UrlConnectionHttpClient.create()).build();
                DynamoDbClient client = TestDynamoDb.shared().client()) {
            App primed = site.redeployed(Map.of(), new DynamoDbSessionStore(viaProxy, table), site.app().log());
            site.provider().countRequests(""); // drain

            prime(Function.GOOGLE_USERINFO, primed);

            assertThat(counted.take()).isEqualTo(Map.of("GetItem", 1, "UpdateItem", 1));
            assertThat(site.provider().countRequests("")).as("requests to the provider: the discovery document alone")
                    .isEqualTo(1);
            assertThat(site.logText()).doesNotContain("skipped");
            assertThat(random.draws.get()).isZero();
            assertThat(client.scan(b -> b.tableName(table).consistentRead(true)).items()).isEmpty();
        }
    }

    @Test
    void priming_withUnreachablePeers_skipsThoseSteps_andNeverFails() {
        int closed = TestDynamoDb.freePort();
        Map<String, String> unreachablePeers = Map.of(Config.DYNAMODB_ENDPOINT, "http://127.0.0.1:" + closed,
                Config.OIDC_ISSUER, "http://127.0.0.1:" + closed + "/nowhere");
        Map<String, String> env = new HashMap<>(site.env());
        env.putAll(unreachablePeers);
        Config config = Config.load(env, arn -> null);
        long start = System.nanoTime();
        try (DynamoDbClient unreachable = AwsClients.dynamoDb(config,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")), UrlConnectionHttpClient.create())) {
            App offline = site.redeployed(unreachablePeers, new DynamoDbSessionStore(unreachable, config.sessionTable()),
                    site.app().log());

            prime(Function.CALLBACK, offline);
        }

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(site.logText()).contains("provider discovery skipped", "session store skipped")
                .doesNotContain("ID token check skipped");
        assertThat(random.draws.get()).isZero();
    }

    /** What Lambda's beforeCheckpoint runs for this function: its handler's priming. */
    static void prime(Function function, App app) {
        Primeable handler = switch (function) {
            case INDEX -> Wiring.index(app);
            case LOGIN -> Wiring.login(app);
            case CALLBACK -> Wiring.callback(app);
            case LOGOUT -> Wiring.logout(app);
            case AUTHORIZER -> Wiring.authorizer(app);
            case GOOGLE_USERINFO -> Wiring.googleUserinfo(app);
            case SESSIONS -> Wiring.sessions(app);
            case END_SESSION -> Wiring.endSession(app);
            case END_USER_SESSIONS -> Wiring.endUserSessions(app);
            default -> throw new IllegalArgumentException(function + " does not prime");
        };
        new SnapStartPriming(function.label(), handler, app.log()::info).prime();
    }

    static String param(APIGatewayV2HTTPResponse redirect, String name) {
        Matcher m = Pattern.compile("[?&]" + name + "=([^&]+)").matcher(redirect.getHeaders().get("location"));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** The application's random source, counting every draw. */
    static final class CountingRandom extends SecureRandom {
        final AtomicInteger draws = new AtomicInteger();

        @Override
        public void nextBytes(byte[] bytes) {
            draws.incrementAndGet();
            super.nextBytes(bytes);
        }
    }
}
