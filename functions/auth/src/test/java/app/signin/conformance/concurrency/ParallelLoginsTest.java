package app.signin.conformance.concurrency;

import static app.signin.testing.SiteUnderTest.SESSION_COOKIE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.testing.Browser;
import app.signin.testing.ProviderSignIn;
import app.signin.testing.SiteUnderTest;

/**
 * Different people logging in at once through the four handlers, sharing one application graph: distinct
 * sessions, each browser sees only its own user, no 5xx. 200 over the in-memory store (the handlers' and
 * domain's own thread safety), and a smaller crowd over the production DynamoDB client against moto, whose
 * Python server would otherwise make this the slowest test of the build. Sixteen threads, every wait bounded.
 */
class ParallelLoginsTest {
    static final int THREADS = 16;

    @Test
    void twoHundredParallelLogins_giveTwoHundredSeparateSessions_andNo5xx() throws Exception {
        try (SiteUnderTest site = SiteUnderTest.builder().inMemory().start()) {
            loginInParallel(site, 200);
        }
    }

    @Test
    void parallelLogins_throughTheProductionDynamoDbClient_giveSeparateSessions_andNo5xx() throws Exception {
        try (SiteUnderTest site = SiteUnderTest.builder().start()) {
            loginInParallel(site, 3 * THREADS);
        }
    }

    private static void loginInParallel(SiteUnderTest site, int users) throws Exception {
        ProviderSignIn.drainRequestCounts(site.provider());
        Queue<Integer> statuses = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<Browser>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < users; i++) {
                String sub = "user-" + i;
                futures.add(pool.submit(() -> {
                    Browser browser = site.browser();
                    APIGatewayV2HTTPResponse login = SiteUnderTest.startLogin(browser, "?return_to=%2F" + sub);
                    statuses.add(login.getStatusCode());
                    APIGatewayV2HTTPResponse done = browser.get(site.authorize(login, sub, ProviderSignIn.user(sub, email(sub))));
                    statuses.add(done.getStatusCode());
                    assertThat(done.getHeaders().get("location")).endsWith("/" + sub);
                    APIGatewayV2HTTPResponse index = browser.get("/");
                    statuses.add(index.getStatusCode());
                    assertSeesOnlyItself(index, sub);
                    return browser;
                }));
            }
            List<Browser> browsers = new ArrayList<>();
            for (Future<Browser> f : futures) {
                browsers.add(f.get(60, TimeUnit.SECONDS));
            }

            assertThat(statuses).hasSize(3 * users).noneMatch(s -> s >= 500);
            assertThat(browsers.stream().map(b -> b.cookies().get(SESSION_COOKIE)).distinct().count()).isEqualTo(users);
            assertThat(site.storedSessionCount()).isEqualTo(users);
            assertThat(ProviderSignIn.drainRequestCounts(site.provider())).containsEntry("token", users);
            // And afterwards, when every session exists: still each browser its own user.
            for (int i = 0; i < users; i++) {
                assertSeesOnlyItself(browsers.get(i).get("/"), "user-" + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertSeesOnlyItself(APIGatewayV2HTTPResponse index, String sub) {
        assertThat(index.getStatusCode()).isEqualTo(200);
        assertThat(index.getBody()).contains("<span id=\"email\">" + email(sub) + "</span>")
                .contains("Test " + sub + "<");
    }

    private static String email(String sub) {
        return sub + "@example.com";
    }
}
