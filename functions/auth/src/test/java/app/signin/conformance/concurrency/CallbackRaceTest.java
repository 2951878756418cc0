package app.signin.conformance.concurrency;

import static app.signin.testing.SiteUnderTest.SESSION_COOKIE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.testing.Browser;
import app.signin.testing.ProviderSignIn;
import app.signin.testing.SiteUnderTest;

/**
 * The same authorization response ({@code code} + {@code state}, with its binding cookie) submitted twice at
 * the same moment - a double click, a replay racing the original - ends in exactly one token request and
 * one session: the pending login is taken by an atomic conditional delete before the code is exchanged.
 */
class CallbackRaceTest {
    static final int ROUNDS = 5;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"DynamoDB", "in-memory"})
    void sameCodeAndStateTwiceAtOnce_exchangeOnce_andCreateOneSession(String storeKind) throws Exception {
        try (SiteUnderTest site = storeKind.equals("DynamoDB")
                ? SiteUnderTest.builder().start()
                : SiteUnderTest.builder().inMemory().start()) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    Browser first = site.browser();
                    APIGatewayV2HTTPResponse login = SiteUnderTest.startLogin(first, "");
                    String callback = site.authorize(login, "racer-" + round,
                            ProviderSignIn.user("racer-" + round, "racer" + round + "@example.com"));
                    Browser second = site.browser();
                    second.cookies().putAll(first.cookies());
                    ProviderSignIn.drainRequestCounts(site.provider());

                    CyclicBarrier together = new CyclicBarrier(2);
                    List<Future<APIGatewayV2HTTPResponse>> both = new ArrayList<>();
                    for (Browser b : List.of(first, second)) {
                        both.add(pool.submit(() -> {
                            together.await(5, TimeUnit.SECONDS);
                            return b.get(callback);
                        }));
                    }
                    List<Integer> statuses = new ArrayList<>();
                    for (Future<APIGatewayV2HTTPResponse> f : both) {
                        APIGatewayV2HTTPResponse r = f.get(10, TimeUnit.SECONDS);
                        statuses.add(r.getStatusCode());
                        if (r.getStatusCode() == 400) {
                            assertThat(r.getBody()).contains("state_unknown");
                        }
                    }
                    assertThat(statuses).as("round %d", round).containsExactlyInAnyOrder(303, 400);
                    assertThat(ProviderSignIn.drainRequestCounts(site.provider()))
                            .as("token requests, round %d", round).containsEntry("token", 1);
                    assertThat(List.of(first, second)).filteredOn(b -> b.cookies().containsKey(SESSION_COOKIE)).hasSize(1);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(site.storedSessionCount()).isEqualTo(ROUNDS);
        }
    }
}
