package app.signin.conformance.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.App;
import app.signin.config.Config;
import app.signin.store.AwsClients;
import app.signin.testing.Browser;
import app.signin.testing.FaultProxy;
import app.signin.testing.ProviderSignIn;
import app.signin.testing.SiteUnderTest;
import app.signin.testing.TestDynamoDb;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB client's failure behaviour is declared, not inherited from SDK defaults: standard retry mode,
 * {@link App#DYNAMODB_MAX_ATTEMPTS} attempts, a per-attempt and a per-call timeout - read back from the built
 * client and then counted on the wire through a {@link FaultProxy}.
 */
class DynamoDbRetryPolicyTest {
    static final String GET = "GetItem";
    static final String PUT = "PutItem";

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

    @Test
    void builtClient_declaresStandardRetryMode_maxAttempts_andBothTimeouts() {
        Config config = site.app().config();
        try (DynamoDbClient client = AwsClients.dynamoDb(config, AnonymousCredentialsProvider.create(),
                UrlConnectionHttpClient.create())) {
            ClientOverrideConfiguration o = client.serviceClientConfiguration().overrideConfiguration();
            assertThat(o.retryStrategy()).get().isInstanceOf(StandardRetryStrategy.class);
            assertThat(o.retryStrategy().get().maxAttempts()).isEqualTo(AwsClients.DYNAMODB_MAX_ATTEMPTS).isEqualTo(3);
            assertThat(o.apiCallAttemptTimeout()).contains(AwsClients.DYNAMODB_ATTEMPT_TIMEOUT);
            assertThat(o.apiCallTimeout()).contains(AwsClients.DYNAMODB_CALL_TIMEOUT);
            // Every attempt may use its whole timeout only if the call's budget is the tighter bound.
            assertThat(AwsClients.DYNAMODB_CALL_TIMEOUT).isLessThan(AwsClients.DYNAMODB_ATTEMPT_TIMEOUT.multipliedBy(AwsClients.DYNAMODB_MAX_ATTEMPTS));
        }
    }

    @Test
    void throttledRead_isAttemptedExactlyMaxAttemptsTimes_thenAnswers503() {
        Browser browser = signedIn();
        for (int round = 0; round < 5; round++) {
            proxy.resetCounts();
            proxy.throttle(GET);
            long start = System.nanoTime();
            APIGatewayV2HTTPResponse r = browser.get("/");
            // All attempts and their backoff fit in one call's budget: the retries end, not the clock.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(AwsClients.DYNAMODB_CALL_TIMEOUT);
            assertThat(r.getStatusCode()).isEqualTo(503);
            assertThat(proxy.count(GET)).as("round %d", round).isEqualTo(AwsClients.DYNAMODB_MAX_ATTEMPTS);
        }
    }

    @Test
    void provisionedThroughputExceeded_isRetriedLikeThrottling() {
        Browser browser = signedIn();
        proxy.resetCounts();
        proxy.throughputExceeded(GET);
        assertThat(browser.get("/").getStatusCode()).isEqualTo(503);
        assertThat(proxy.count(GET)).isEqualTo(AwsClients.DYNAMODB_MAX_ATTEMPTS);
    }

    @Test
    void droppedConnection_isRetried_upToMaxAttempts() {
        Browser browser = signedIn();
        proxy.resetCounts();
        proxy.drop(GET);
        assertThat(browser.get("/").getStatusCode()).isEqualTo(503);
        assertThat(proxy.count(GET)).isEqualTo(AwsClients.DYNAMODB_MAX_ATTEMPTS);
    }

    @Test
    void nonRetryableError_isAttemptedOnce() {
        Browser browser = signedIn();
        proxy.resetCounts();
        proxy.error(400, "AccessDeniedException", GET);
        assertThat(browser.get("/").getStatusCode()).isEqualTo(503);
        assertThat(proxy.count(GET)).isEqualTo(1);
    }

    @Test
    void pendingLoginWrittenButItsAnswerLost_isRetried_andTheRetryFindingItsOwnItem_stillStartsTheLogin() {
        // GIVEN the first PutItem of /login reaches DynamoDB but its answer never comes back
        Browser browser = site.browser();
        proxy.resetCounts();
        proxy.loseAnswerOnce(PUT);

        // WHEN the browser starts a login
        APIGatewayV2HTTPResponse login = SiteUnderTest.startLogin(browser, "");

        // THEN the SDK's retry met the item the first attempt wrote, took it as written, and the login goes on
        assertThat(proxy.count(PUT)).as("the lost attempt and its retry").isEqualTo(2);
        assertThat(browser.get(site.authorize(login, "user-p", ProviderSignIn.user("user-p", "pia@example.com")))
                .getStatusCode()).isEqualTo(303);
        assertThat(browser.get("/").getBody()).contains("pia@example.com");
    }

    @Test
    void sessionWrittenButItsAnswerLost_isRetried_andTheUserIsSignedIn() {
        // GIVEN a login under way, and the callback's PutItem (the session) applied with its answer lost
        Browser browser = site.browser();
        String callback = site.authorize(SiteUnderTest.startLogin(browser, ""), "user-q",
                ProviderSignIn.user("user-q", "quinn@example.com"));
        proxy.resetCounts();
        proxy.loseAnswerOnce(PUT);

        // WHEN the provider sends the browser back
        APIGatewayV2HTTPResponse r = browser.get(callback);

        // THEN the retry is recognised as our own write: signed in, not "Something went wrong"
        assertThat(proxy.count(PUT)).as("the lost attempt and its retry").isEqualTo(2);
        assertThat(r.getStatusCode()).isEqualTo(303);
        assertThat(browser.get("/").getBody()).contains("quinn@example.com");
        assertThat(site.storedSessionCount()).isEqualTo(1);
    }

    private Browser signedIn() {
        Browser browser = site.browser();
        assertThat(site.login(browser, "user-r", "rita@example.com").getStatusCode()).isEqualTo(303);
        assertThat(browser.get("/").getBody()).contains("rita@example.com");
        return browser;
    }
}
