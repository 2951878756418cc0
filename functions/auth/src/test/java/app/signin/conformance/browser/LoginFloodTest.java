package app.signin.conformance.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.App;
import app.signin.config.Config;
import app.signin.session.PendingLogin;
import app.signin.session.PendingLogins;
import app.signin.store.InMemorySessionStore;
import app.signin.testing.Browser;
import app.signin.testing.CapturedLog;
import app.signin.testing.Handlers;
import app.signin.testing.MutableClock;
import app.signin.testing.RecordingSessionStore;
import app.signin.testing.SiteUnderTest;
import app.signin.testing.TestDynamoDb;
import app.signin.web.CookiePolicy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A flood of {@code GET /login} that never comes back (the unbounded-stored-authorization-request class of
 * bug) leaves bounded storage: exactly one pending-login item per hit, each expiring at most 10 minutes
 * ahead, nothing else; and a single browser that keeps starting logins holds a handful of binding
 * cookies, not one per attempt.
 */
class LoginFloodTest {
    static final Duration TEN_MINUTES = Duration.ofMinutes(10);
    static final Pattern MAX_AGE = Pattern.compile("Max-Age=(\\d+)");

    @Test
    void tenThousandAbandonedLogins_leaveTenThousandShortLivedItems_andNothingElse() {
        try (SiteUnderTest site = SiteUnderTest.builder().inMemory().start()) {
            // Thousands of log lines nobody reads: this deployment logs to nowhere.
            RecordingSessionStore store = site.recording();
            MutableClock clock = site.clock();
            App app = site.redeployed(Map.of(), CapturedLog.discarding());
            RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> login = Handlers.routes(app).get("/login");
            Instant start = clock.instant();

            int hits = 10_000;
            for (int i = 0; i < hits; i++) {
                APIGatewayV2HTTPResponse r = login.handleRequest(
                        Browser.event("GET", "/login?return_to=%2Fpage" + i, Map.of(), null, null), null);
                assertThat(r.getStatusCode()).isEqualTo(302);
                assertThat(r.getCookies()).hasSize(1);
                assertThat(maxAge(r.getCookies().getFirst())).isLessThanOrEqualTo(TEN_MINUTES);
                if (i % 1000 == 999) {
                    clock.advance(Duration.ofSeconds(1)); // the flood takes time, as it would
                }
            }

            InMemorySessionStore memory = (InMemorySessionStore) store.delegate();
            assertThat(memory.pendingLoginCount()).isEqualTo(hits);
            assertThat(memory.sessionCount()).isZero();
            assertThat(store.callsByMethod()).containsExactly(Map.entry("putPendingLogin", hits));
            List<PendingLogin> saved = store.pendingLoginsSaved();
            assertThat(saved).hasSize(hits);
            assertThat(saved.stream().map(PendingLogin::stateHash).distinct().count()).isEqualTo(hits);
            Instant latest = clock.instant().plus(TEN_MINUTES);
            assertThat(saved).allSatisfy(p -> assertThat(p.expiresAt()).isAfter(start).isBeforeOrEqualTo(latest));

            // Ten minutes after the flood, every item is dead and the janitor (TTL) has nothing to keep.
            clock.advance(TEN_MINUTES);
            memory.purgeExpired(clock.instant());
            assertThat(memory.pendingLoginCount()).isZero();
        }
    }

    @Test
    void fiveHundredAbandonedLogins_onDynamoDb_leaveFiveHundredTtlItems_andNothingElse() throws Exception {
        TestDynamoDb dynamo = TestDynamoDb.shared();
        try (SiteUnderTest site = SiteUnderTest.builder().start()) {
            App app = site.redeployed(Map.of(), CapturedLog.discarding()); // the production store, system clock
            RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> login = Handlers.routes(app).get("/login");
            long before = Instant.now().getEpochSecond();
            int hits = 500;
            ExecutorService pool = Executors.newFixedThreadPool(4); // as a flood would: several at once
            try {
                List<Future<Integer>> statuses = new ArrayList<>();
                for (int i = 0; i < hits; i++) {
                    statuses.add(pool.submit(() -> login.handleRequest(
                            Browser.event("GET", "/login", Map.of(), null, null), null).getStatusCode()));
                }
                for (Future<Integer> status : statuses) {
                    assertThat(status.get(30, TimeUnit.SECONDS)).isEqualTo(302);
                }
            } finally {
                pool.shutdownNow();
            }
            long after = Instant.now().getEpochSecond();

            List<Map<String, AttributeValue>> items;
            try (DynamoDbClient client = dynamo.client()) {
                items = client.scanPaginator(b -> b.tableName(site.env().get(Config.SESSION_TABLE)).consistentRead(true))
                        .items().stream().toList();
            }
            assertThat(items).hasSize(hits);
            assertThat(items).allSatisfy(item -> {
                assertThat(item.get("pk").s()).startsWith("l#");
                assertThat(item.keySet()).isEqualTo(Set.of("pk", "nonce", "verifier", "returnTo", "expiresAt"));
                long ttl = Long.parseLong(item.get("expiresAt").n());
                assertThat(ttl).isBetween(before, after + PendingLogins.LIFETIME.toSeconds());
                assertThat(ttl - before).isLessThanOrEqualTo(TEN_MINUTES.toSeconds() + (after - before));
            });
        }
    }

    @Test
    void oneBrowserStartingLoginAfterLogin_holdsAHandfulOfBindingCookies() {
        try (SiteUnderTest site = SiteUnderTest.builder().inMemory().start()) {
            Browser browser = site.browser();
            for (int i = 0; i < 100; i++) {
                SiteUnderTest.startLogin(browser, "");
                assertThat(browser.cookies().keySet()).filteredOn(n -> n.startsWith("__Host-login-"))
                        .hasSizeBetween(1, CookiePolicy.MAX_LOGIN_COOKIES);
            }
            // The most recent login still completes.
            APIGatewayV2HTTPResponse last = SiteUnderTest.startLogin(browser, "");
            String callback = site.authorize(last, "tab", app.signin.testing.ProviderSignIn.user("tab", "tab@example.com"));
            assertThat(browser.get(callback).getStatusCode()).isEqualTo(303);
        }
    }

    @Test
    void aFewParallelTabs_keepAllTheirBindingCookies() {
        try (SiteUnderTest site = SiteUnderTest.builder().inMemory().start()) {
            Browser browser = site.browser();
            for (int i = 0; i < CookiePolicy.MAX_LOGIN_COOKIES; i++) {
                SiteUnderTest.startLogin(browser, "");
            }
            assertThat(browser.cookies().keySet()).filteredOn(n -> n.startsWith("__Host-login-"))
                    .hasSize(CookiePolicy.MAX_LOGIN_COOKIES);
        }
    }

    private static Duration maxAge(String setCookie) {
        Matcher m = MAX_AGE.matcher(setCookie);
        assertThat(m.find()).as("Max-Age in %s", setCookie).isTrue();
        return Duration.ofSeconds(Long.parseLong(m.group(1)));
    }
}
