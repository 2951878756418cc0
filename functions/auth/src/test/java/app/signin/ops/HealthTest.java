package app.signin.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.App;
import app.signin.config.Config;
import app.signin.handler.HealthHandler;
import app.signin.handler.Wiring;
import app.signin.health.HealthCheck;
import app.signin.testing.Browser;
import app.signin.testing.MutableClock;
import app.signin.testing.SiteExtension;
import app.signin.testing.SiteUnderTest;
import app.signin.testing.TestDynamoDb;

/** {@code GET /health} against a real DynamoDB API, an unreachable one, and a configuration that fails. */
class HealthTest {
    @RegisterExtension
    final SiteExtension site = SiteUnderTest.builder().extension();

    static APIGatewayV2HTTPEvent get() {
        return Browser.event("GET", "/health", Map.of(), null, null);
    }

    @Test
    void health_withConfigurationLoadedAndStoreReachable_isOk() {
        APIGatewayV2HTTPResponse r = Wiring.health(site.app()).handleRequest(get(), null);

        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(r.getBody()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(r.getHeaders()).containsEntry("content-type", "application/json")
                .containsEntry("cache-control", "no-store");
    }

    @Test
    void health_withTheStoreUnreachable_is503_andSaysNothingMore() {
        App unreachable = site.get().rebuilt(Map.of(Config.DYNAMODB_ENDPOINT, "http://127.0.0.1:" + TestDynamoDb.freePort()));
        long started = System.nanoTime();

        APIGatewayV2HTTPResponse r = Wiring.health(unreachable).handleRequest(get(), null);

        assertThat(r.getStatusCode()).isEqualTo(503);
        assertThat(r.getBody()).isEqualTo("{\"status\":\"unavailable\"}");
        assertThat(r.getHeaders()).containsEntry("retry-after", "5");
        // Within the function's 6 s timeout with room to spare: the DynamoDB call budget is 2.5 s.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void health_withATableThatDoesNotExist_is503_withoutNamingIt() {
        App missingTable = site.get().rebuilt(Map.of(Config.SESSION_TABLE,
                "no-such-table-" + site.get().env().get(Config.SESSION_TABLE)));

        APIGatewayV2HTTPResponse r = Wiring.health(missingTable).handleRequest(get(), null);

        assertThat(r.getStatusCode()).isEqualTo(503);
        assertThat(r.getBody()).isEqualTo("{\"status\":\"unavailable\"}");
    }

    @Test
    void health_withAConfigurationThatDoesNotLoad_is503_insteadOfAFailedInit() {
        Map<String, String> broken = new HashMap<>(site.get().env());
        broken.remove(Config.GOOGLE_CLIENT_ID);

        HealthHandler handler = Wiring.health(() -> App.build(broken), HealthCheck.PROBE_REUSE, Clock.systemUTC());
        APIGatewayV2HTTPResponse r = handler.handleRequest(get(), null);

        assertThat(r.getStatusCode()).isEqualTo(503);
        assertThat(r.getBody()).isEqualTo("{\"status\":\"unavailable\"}").doesNotContain("GOOGLE_CLIENT_ID");
    }

    @Test
    void health_polledHard_probesTheStoreOncePerInterval() {
        String log;
        try (SiteUnderTest clocked = SiteUnderTest.builder().dynamoDbStore().start()) {
            MutableClock clock = clocked.clock();
            HealthHandler handler = Wiring.health(clocked.app());

            for (int i = 0; i < 20; i++) {
                assertThat(handler.handleRequest(get(), null).getStatusCode()).isEqualTo(200);
            }
            clock.advance(Duration.ofSeconds(6));
            assertThat(handler.handleRequest(get(), null).getStatusCode()).isEqualTo(200);
            log = clocked.logText();
        }
        String[] lines = log.split("\n");
        assertThat(lines).hasSize(21);
        assertThat(lines).filteredOn(l -> !l.contains("probe result reused")).hasSize(2);
    }

    @Test
    void health_whenTheConfigurationFailedToLoadOnce_recoversOnALaterRequest() {
        AtomicInteger attempts = new AtomicInteger();
        HealthHandler handler = Wiring.health(() -> {
            if (attempts.incrementAndGet() <= 2) { // at init, and again at the first request
                throw new IllegalStateException("Secrets Manager hiccup at init");
            }
            return site.app();
        }, Duration.ZERO, Clock.systemUTC());

        assertThat(handler.handleRequest(get(), null).getStatusCode()).isEqualTo(503);
        assertThat(handler.handleRequest(get(), null).getStatusCode()).isEqualTo(200);
        assertThat(attempts).hasValue(3);
    }

    @Test
    void health_retriesAFailedConfiguration_onlyOnceItsReloadIntervalHasPassed_byTheClockItIsGiven() {
        AtomicInteger attempts = new AtomicInteger();
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        HealthHandler handler = Wiring.health(() -> {
            if (attempts.incrementAndGet() == 1) { // at init only
                throw new IllegalStateException("Secrets Manager hiccup at init");
            }
            return site.app();
        }, Duration.ofMinutes(1), clock);

        clock.advance(Duration.ofSeconds(59));
        assertThat(handler.handleRequest(get(), null).getStatusCode()).isEqualTo(503);
        assertThat(attempts).hasValue(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(handler.handleRequest(get(), null).getStatusCode()).isEqualTo(200);
        assertThat(attempts).hasValue(2);
    }
}
