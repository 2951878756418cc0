package app.signin.conformance.session;

import static app.signin.testing.SiteUnderTest.SESSION_COOKIE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.config.Config;
import app.signin.config.ConfigException;
import app.signin.store.DynamoDbSessionStore;
import app.signin.store.InMemorySessionStore;
import app.signin.testing.Browser;
import app.signin.testing.FaultProxy;
import app.signin.testing.MutableClock;
import app.signin.testing.SiteUnderTest;
import app.signin.testing.TestDynamoDb;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code SESSION_IDLE_TIMEOUT} and {@code SESSION_MAX_AGE} are enforced in code on every read, with a
 * hand-moved clock and items that DynamoDB's TTL has not removed; activity slides the idle deadline at the
 * cost of at most one write per session per refresh interval, counted as {@code UpdateItem} on the wire.
 */
class SessionLifetimeTest {

    @Test
    void idleTimeout_endsASessionLeftAlone_butNotOneInUse() {
        try (SiteUnderTest site = SiteUnderTest.builder().inMemory().env(Map.of(Config.SESSION_IDLE_TIMEOUT, "PT30M",
                Config.SESSION_MAX_AGE, "P1D")).start()) {
            MutableClock clock = site.clock();
            Browser browser = signedIn(site, "idle", "ida@example.com");

            clock.advance(Duration.ofMinutes(30).minusSeconds(1));
            assertSignedIn(browser, "ida@example.com");
            clock.advance(Duration.ofMinutes(30).minusSeconds(1)); // an hour after login, but active
            assertSignedIn(browser, "ida@example.com");

            clock.advance(Duration.ofMinutes(30)); // exactly the idle timeout since the last request
            assertSignedOut(browser);
            InMemorySessionStore memory = (InMemorySessionStore) site.recording().delegate();
            assertThat(memory.sessionCount()).as("still stored - expiry is the code's, not the janitor's").isEqualTo(1);
        }
    }

    @Test
    void maxAge_endsASession_howeverActive() {
        try (SiteUnderTest site = SiteUnderTest.builder().inMemory().env(Map.of(Config.SESSION_IDLE_TIMEOUT, "PT1H",
                Config.SESSION_MAX_AGE, "PT3H")).start()) {
            MutableClock clock = site.clock();
            Browser browser = site.browser();
            APIGatewayV2HTTPResponse done = site.login(browser, "busy", "bea@example.com");
            assertThat(done.getCookies()).anyMatch(c -> c.startsWith(SESSION_COOKIE + "=v1") && c.contains("Max-Age=10800"));

            for (int i = 0; i < 8; i++) { // every 20 minutes for 2 h 40 min
                clock.advance(Duration.ofMinutes(20));
                assertSignedIn(browser, "bea@example.com");
            }
            clock.advance(Duration.ofMinutes(20).minusSeconds(1)); // 3 h minus 1 s
            assertSignedIn(browser, "bea@example.com");
            clock.advance(Duration.ofSeconds(1)); // 3 h: over, although last seen a second ago
            assertSignedOut(browser);
        }
    }

    @Test
    void slidingRefresh_writesAtMostOncePerSessionPerInterval() {
        TestDynamoDb dynamo = TestDynamoDb.shared();
        try (FaultProxy wire = FaultProxy.start(dynamo.endpoint());
                DynamoDbClient client = clientVia(wire);
                SiteUnderTest site = SiteUnderTest.builder()
                        .store(env -> new DynamoDbSessionStore(client, env.get(Config.SESSION_TABLE))).start()) {
            MutableClock clock = site.clock();
            Browser alice = signedIn(site, "alice", "alice@example.com");
            Browser bob = signedIn(site, "bob", "bob@example.com");
            Duration interval = site.app().sessions().refreshInterval();
            assertThat(interval).isEqualTo(Duration.ofMinutes(5)); // default idle timeout PT12H: capped at 5 min

            wire.resetCounts();
            Duration step = Duration.ofSeconds(30);
            int hits = 100; // per user: 50 minutes of a page view every 30 s
            for (int i = 0; i < hits; i++) {
                clock.advance(step);
                assertSignedIn(alice, "alice@example.com");
                assertSignedIn(bob, "bob@example.com");
            }
            long intervals = step.multipliedBy(hits).dividedBy(interval);
            assertThat(wire.count("GetItem")).isEqualTo(2 * hits);
            assertThat(wire.count("UpdateItem")).as("refresh writes for 2 sessions over %d intervals", intervals)
                    .isPositive().isLessThanOrEqualTo((int) (2 * intervals));

            // Activity slid the idle deadline well past the first 12 h... and 12 h of silence ends it.
            clock.advance(Duration.ofHours(12));
            assertSignedOut(alice);
        }
    }

    @Test
    void lifetimes_areIso8601Durations_checkedAtInit() {
        Map<String, String> env = new HashMap<>(Map.of(Config.GOOGLE_CLIENT_ID, "id", Config.GOOGLE_CLIENT_SECRET, "s",
                Config.SESSION_SECRET, "x".repeat(32), Config.SESSION_TABLE, "sessions", Config.AWS_REGION, "us-east-1",
                Config.SESSION_IDLE_TIMEOUT, "12h", Config.SESSION_MAX_AGE, "-P1D"));
        assertThatThrownBy(() -> Config.load(env, arn -> null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(Config.SESSION_IDLE_TIMEOUT).hasMessageContaining(Config.SESSION_MAX_AGE);
    }

    private static Browser signedIn(SiteUnderTest site, String sub, String email) {
        Browser browser = site.browser();
        assertThat(site.login(browser, sub, email).getStatusCode()).isEqualTo(303);
        assertSignedIn(browser, email);
        return browser;
    }

    private static void assertSignedIn(Browser browser, String email) {
        assertThat(browser.get("/").getBody()).contains(email);
    }

    private static void assertSignedOut(Browser browser) {
        APIGatewayV2HTTPResponse r = browser.get("/");
        assertThat(r.getBody()).contains("Sign in with Google");
        assertThat(r.getCookies() == null ? List.<String>of() : r.getCookies()).anyMatch(c -> c.startsWith(SESSION_COOKIE + "=;"));
    }

    private static DynamoDbClient clientVia(FaultProxy proxy) {
        return DynamoDbClient.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
