package app.signin.conformance.store;

import static app.signin.testing.SiteUnderTest.SESSION_COOKIE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.App;
import app.signin.config.Config;
import app.signin.store.AwsClients;
import app.signin.store.DynamoDbSessionStore;
import app.signin.testing.Browser;
import app.signin.testing.FaultProxy;
import app.signin.testing.ProviderSignIn;
import app.signin.testing.SiteUnderTest;
import app.signin.testing.TestDynamoDb;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * DynamoDB throttled, slow, dropping connections or unreachable - injected by a {@link FaultProxy} between
 * the production client ({@link App#build}) and moto. Every handler that needs the store answers 503 with
 * {@code Retry-After} within twice the SDK's call timeout, sets no session cookie for a session it did not
 * store, never shows anyone as signed in, and the same App instance recovers on its own once the store is
 * back. Logout with the store down still clears the cookie.
 */
class StoreOutageTest {
    static final Duration BUDGET = AwsClients.DYNAMODB_CALL_TIMEOUT.multipliedBy(2);

    /** The ways the table can fail, each applied to every DynamoDB operation (or only the named ones). */
    enum Outage {
        THROTTLED {
            void apply(FaultProxy proxy, String... operations) {
                proxy.throttle(operations);
            }
        },
        THROUGHPUT_EXCEEDED {
            void apply(FaultProxy proxy, String... operations) {
                proxy.throughputExceeded(operations);
            }
        },
        SLOW {
            void apply(FaultProxy proxy, String... operations) {
                // Held longer than the whole call may take; forwarded afterwards, as a slow table would.
                proxy.delay(AwsClients.DYNAMODB_CALL_TIMEOUT.plusSeconds(1), operations);
            }
        },
        DROPPED {
            void apply(FaultProxy proxy, String... operations) {
                proxy.drop(operations);
            }
        },
        UNREACHABLE {
            void apply(FaultProxy proxy, String... operations) {
                proxy.stop(); // connection refused
            }
        };

        abstract void apply(FaultProxy proxy, String... operations);

        void end(FaultProxy proxy) {
            proxy.start();
            proxy.passThrough();
        }
    }

    FaultProxy proxy;
    SiteUnderTest site;

    @BeforeEach
    void siteBehindProxy() {
        proxy = FaultProxy.start(TestDynamoDb.shared().endpoint());
        site = SiteUnderTest.builder().behind(proxy).start();
    }

    @AfterEach
    void stop() {
        site.close();
        proxy.close();
    }

    @ParameterizedTest
    @EnumSource(Outage.class)
    void everyHandler_answers503InBudget_createsNoSession_andRecoversOnItsOwn(Outage outage) throws Exception {
        // GIVEN, while the store answers: a signed-in reader, a signed-in user about to sign out, a login
        // waiting at the callback step, and a new visitor.
        Browser reader = signedIn("reader", "rose@example.com");
        Browser leaving = signedIn("leaver", "leo@example.com");
        String csrf = csrf(leaving.get("/").getBody());
        Browser arriving = site.browser();
        String callback = site.authorize(SiteUnderTest.startLogin(arriving, ""), "arriver",
                ProviderSignIn.user("arriver", "ada@example.com"));
        Browser visitor = site.browser();

        // WHEN the store fails, every handler is asked at once (so four slow answers cost one budget).
        outage.apply(proxy);
        List<Timed> answers = inParallel(
                () -> visitor.get("/login"),
                () -> arriving.get(callback),
                () -> reader.get("/"),
                () -> leaving.post("/logout", Map.of("csrf", csrf)));

        // THEN each is a 503 page with Retry-After, in budget, and nobody is signed in by it.
        for (Timed t : answers) {
            assertThat(t.took()).as("%s answered in", t.response()).isLessThan(BUDGET);
            assertUnavailable(t.response());
        }
        assertThat(answers.get(0).response().getCookies()).as("login sets no binding cookie").isNull();
        assertThat(arriving.cookies()).doesNotContainKey(SESSION_COOKIE);
        assertThat(answers.get(2).response().getBody()).doesNotContain("rose@example.com");
        assertThat(reader.cookies()).as("a live session's cookie is kept through an outage").containsKey(SESSION_COOKIE);
        assertThat(answers.get(3).response().getCookies()).anyMatch(c -> c.startsWith(SESSION_COOKIE + "=;"));
        assertThat(leaving.cookies()).as("logout clears the cookie even with the store down").doesNotContainKey(SESSION_COOKIE);

        // WHEN the store is back - same App, nothing restarted - THEN everything works again.
        outage.end(proxy);
        assertThat(reader.get("/").getBody()).contains("rose@example.com");
        assertThat(leaving.get("/").getBody()).contains("Sign in with Google");
        assertThat(site.login(visitor, "visitor", "vic@example.com").getStatusCode()).isEqualTo(303);
        assertThat(visitor.get("/").getBody()).contains("vic@example.com");
    }

    @ParameterizedTest
    @EnumSource(value = Outage.class, names = {"THROTTLED", "SLOW", "DROPPED"})
    void callback_whenOnlyTheSessionWriteFails_setsNoSessionCookie(Outage outage) {
        Browser browser = site.browser();
        String callback = site.authorize(SiteUnderTest.startLogin(browser, ""), "writer",
                ProviderSignIn.user("writer", "wendy@example.com"));
        ProviderSignIn.drainRequestCounts(site.provider());

        outage.apply(proxy, "PutItem"); // the pending login is taken and the code exchanged; the session put fails
        long start = System.nanoTime();
        APIGatewayV2HTTPResponse r = browser.get(callback);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BUDGET);

        assertUnavailable(r);
        assertThat(ProviderSignIn.drainRequestCounts(site.provider())).containsEntry("token", 1);
        assertThat(r.getCookies() == null ? List.<String>of() : r.getCookies())
                .noneMatch(c -> c.startsWith(SESSION_COOKIE + "=v1"));
        assertThat(browser.cookies()).doesNotContainKey(SESSION_COOKIE);
        outage.end(proxy);
        assertThat(browser.get("/").getBody()).contains("Sign in with Google").doesNotContain("wendy@example.com");
    }

    @Test
    void callbackReloadedAfterAThrottledOutage_completesTheLogin() {
        Browser browser = site.browser();
        String callback = site.authorize(SiteUnderTest.startLogin(browser, ""), "patient",
                ProviderSignIn.user("patient", "pat@example.com"));
        proxy.throttle();
        assertUnavailable(browser.get(callback));
        ProviderSignIn.drainRequestCounts(site.provider());

        proxy.passThrough();
        APIGatewayV2HTTPResponse reload = browser.get(callback);
        assertThat(reload.getStatusCode()).isEqualTo(303);
        assertThat(ProviderSignIn.drainRequestCounts(site.provider())).containsEntry("token", 1);
        assertThat(browser.get("/").getBody()).contains("pat@example.com");
    }

    @Test
    void index_whenOnlyTheSlidingRefreshWriteIsSlow_stillServesTheUser_inBudget() {
        // The production client through the proxy, but on a hand-moved clock so a refresh falls due.
        Map<String, String> overrides = Map.of(Config.SESSION_TABLE, TestDynamoDb.shared().createTable(),
                Config.DYNAMODB_ENDPOINT, proxy.endpoint().toString());
        try (SiteUnderTest clocked = SiteUnderTest.builder().env(overrides).store(env -> new DynamoDbSessionStore(
                AwsClients.dynamoDb(Config.load(env, arn -> null), StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("local", "local")), UrlConnectionHttpClient.builder()
                        .connectionTimeout(AwsClients.DYNAMODB_CONNECT_TIMEOUT).socketTimeout(AwsClients.DYNAMODB_SOCKET_TIMEOUT)
                        .build()), env.get(Config.SESSION_TABLE))).start()) {
            Browser browser = clocked.browser();
            clocked.login(browser, "steady", "stella@example.com");
            clocked.clock().advance(clocked.app().sessions().refreshInterval());

            Outage.SLOW.apply(proxy, "UpdateItem");
            long start = System.nanoTime();
            APIGatewayV2HTTPResponse r = browser.get("/");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BUDGET);
            // The read proved the session; only the refresh is lost, and it is retried on the next request.
            assertThat(r.getStatusCode()).isEqualTo(200);
            assertThat(r.getBody()).contains("stella@example.com");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Outage.class, names = {"THROTTLED", "SLOW", "DROPPED"})
    void sessionsRoutes_whenOnlyTheUserIndexFails_answer503InBudget_endNothing_andLoginsStillWork(Outage outage)
            throws Exception {
        // GIVEN, while the store answers: one user signed in twice, and the list's handle of the other session
        Browser laptop = signedIn("twice", "tia@example.com");
        Browser phone = signedIn("twice", "tia@example.com");
        String page = laptop.get("/sessions").getBody();
        String csrf = csrf(page);
        Matcher handle = Pattern.compile("name=\"session\" value=\"([^\"]+)\"").matcher(page);
        assertThat(handle.find()).isTrue();

        // WHEN only the user index fails: every route of the sessions list at once, then a third login
        outage.apply(proxy, "Query");
        List<Timed> answers = inParallel(
                () -> laptop.get("/sessions"),
                () -> laptop.get("/api/sessions"),
                () -> laptop.post("/sessions/end", Map.of("csrf", csrf, "session", handle.group(1))),
                () -> laptop.post("/logout", Map.of("csrf", csrf, "everywhere", "true")));
        Browser tablet = site.browser();
        APIGatewayV2HTTPResponse login = site.login(tablet, "twice", "tia@example.com");

        // THEN each is a 503 with Retry-After, in budget; the API's is JSON
        for (Timed t : answers) {
            assertThat(t.took()).as("%s answered in", t.response()).isLessThan(BUDGET);
        }
        assertUnavailable(answers.get(0).response());
        APIGatewayV2HTTPResponse api = answers.get(1).response();
        assertThat(api.getStatusCode()).isEqualTo(503);
        assertThat(api.getHeaders()).containsEntry("retry-after", "5");
        assertThat(api.getHeaders().get("content-type")).startsWith("application/json");
        assertThat(api.getBody()).contains("\"error\":\"store_unavailable\"");
        assertUnavailable(answers.get(2).response());
        assertUnavailable(answers.get(3).response());
        assertThat(answers.get(3).response().getCookies()).as("an interrupted everywhere keeps this session, to retry")
                .isNull();
        // The per-user limit is best effort: the login stands without it.
        assertThat(login.getStatusCode()).isEqualTo(303);
        assertThat(tablet.cookies()).containsKey(SESSION_COOKIE);

        // ... and nothing was ended: once the index is back, all three sessions work
        outage.end(proxy);
        assertThat(laptop.get("/").getBody()).contains("tia@example.com");
        assertThat(phone.get("/").getBody()).contains("tia@example.com");
        assertThat(tablet.get("/").getBody()).contains("tia@example.com");
    }

    @Test
    void pagesThatNeedNoStore_stillAnswerDuringAnOutage() {
        Browser browser = signedIn("calm", "cal@example.com");
        proxy.stop();
        Browser stranger = site.browser();
        assertThat(stranger.get("/").getStatusCode()).as("index without a cookie").isEqualTo(200);
        APIGatewayV2HTTPResponse confirm = browser.get("/logout");
        assertThat(confirm.getStatusCode()).as("GET /logout only renders the button").isEqualTo(200);
        assertThat(confirm.getBody()).contains("Sign out");
        proxy.start();
    }

    static void assertUnavailable(APIGatewayV2HTTPResponse r) {
        assertThat(r.getStatusCode()).isEqualTo(503);
        assertThat(r.getHeaders()).containsEntry("retry-after", "5");
        assertThat(r.getHeaders().get("content-type")).startsWith("text/html");
        assertThat(r.getBody()).contains("Temporarily unavailable").contains("request id")
                .doesNotContain("Exception").doesNotContain("at app.signin");
    }

    private Browser signedIn(String sub, String email) {
        Browser browser = site.browser();
        assertThat(site.login(browser, sub, email).getStatusCode()).isEqualTo(303);
        assertThat(browser.get("/").getBody()).contains(email);
        return browser;
    }

    record Timed(APIGatewayV2HTTPResponse response, Duration took) {
    }

    @SafeVarargs
    private static List<Timed> inParallel(Supplier<APIGatewayV2HTTPResponse>... requests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(requests.length);
        try {
            List<Future<Timed>> futures = new ArrayList<>();
            for (Supplier<APIGatewayV2HTTPResponse> request : requests) {
                futures.add(pool.submit(() -> {
                    long start = System.nanoTime();
                    APIGatewayV2HTTPResponse r = request.get();
                    return new Timed(r, Duration.ofNanos(System.nanoTime() - start));
                }));
            }
            List<Timed> results = new ArrayList<>();
            for (Future<Timed> f : futures) {
                results.add(f.get(BUDGET.toMillis() * 2, TimeUnit.MILLISECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("page has a CSRF field").isTrue();
        return m.group(1);
    }
}
