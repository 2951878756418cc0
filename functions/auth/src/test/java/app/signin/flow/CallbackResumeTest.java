package app.signin.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.App;
import app.signin.config.Config;
import app.signin.log.Log;
import app.signin.store.InMemorySessionStore;
import app.signin.testing.Browser;
import app.signin.testing.Handlers;
import app.signin.testing.TestApps;
import app.signin.testing.TestDynamoDb;
import app.signin.testing.TestProvider;

/**
 * A callback that fails with a 503 may or may not still be finishable. Before the pending login is
 * consumed (client secret or discovery unavailable) the attempt is intact: the binding cookie stays and a
 * reload finishes the login. After it is consumed (token endpoint down) the page must say "start again"
 * and drop the binding cookie instead of inviting a reload that can only fail.
 */
class CallbackResumeTest {
    static final String SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:google-AbCdEf";

    TestProvider provider;
    Map<String, String> env;

    @BeforeEach
    void start() {
        provider = new TestProvider();
        TestDynamoDb dynamo = TestDynamoDb.shared();
        env = new java.util.HashMap<>(TestApps.env(provider, dynamo, dynamo.createTable()));
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    @Test
    void callback_whenTheClientSecretCannotBeRead_is503KeepingTheAttempt_andAReloadFinishesTheLogin() {
        env.remove(Config.GOOGLE_CLIENT_SECRET);
        env.put(Config.GOOGLE_CLIENT_SECRET_ARN, SECRET_ARN);
        AtomicBoolean secretsManagerUp = new AtomicBoolean(false);
        App app = new App(Config.load(env, arn -> {
            if (arn.equals(SECRET_ARN) && !secretsManagerUp.get()) {
                throw new IllegalStateException("Secrets Manager is down");
            }
            return arn.equals(SECRET_ARN) ? TestProvider.CLIENT_SECRET : TestApps.SESSION_SECRET;
        }), new InMemorySessionStore(), Clock.systemUTC(), new SecureRandom(), Log.stdout());
        Browser browser = new Browser(Handlers.routes(app));
        APIGatewayV2HTTPResponse login = browser.get("/login");
        provider.nextUser("user-r1", "rita@example.com");
        URI back = provider.authorize(login.getHeaders().get("location"));
        String callback = back.getRawPath() + "?" + back.getRawQuery();

        APIGatewayV2HTTPResponse failed = browser.get(callback);
        assertThat(failed.getStatusCode()).isEqualTo(503);
        assertThat(failed.getBody()).contains("secret_unavailable");
        assertThat(failed.getHeaders()).containsKey("retry-after");
        assertThat(failed.getCookies()).isNull(); // the binding cookie survives
        assertThat(provider.countRequests("/token")).isZero();

        secretsManagerUp.set(true);
        APIGatewayV2HTTPResponse reloaded = browser.get(callback);
        assertThat(reloaded.getStatusCode()).isEqualTo(303);
        assertThat(browser.get("/").getBody()).contains("rita@example.com");
    }

    @Test
    void callback_whenTheTokenEndpointIsDownAfterTheAttemptWasConsumed_saysStartAgain_andDropsTheBindingCookie() {
        App app = TestApps.with(env, new InMemorySessionStore(), Clock.systemUTC(), Log.stdout());
        Browser browser = new Browser(Handlers.routes(app));
        APIGatewayV2HTTPResponse login = browser.get("/login");
        provider.nextUser("user-r2", "sam@example.com");
        URI back = provider.authorize(login.getHeaders().get("location"));
        app.provider().metadata(); // discovery is cached; now the provider goes away
        provider.close();

        APIGatewayV2HTTPResponse failed = browser.get(back.getRawPath() + "?" + back.getRawQuery());
        assertThat(failed.getStatusCode()).isEqualTo(503);
        assertThat(failed.getBody()).contains("cannot be resumed").contains("start again");
        assertThat(failed.getCookies()).anyMatch(c -> c.startsWith("__Host-login-") && c.contains("Max-Age=0"));
        assertThat(browser.cookies().keySet()).noneMatch(n -> n.startsWith("__Host-login-") || n.equals("__Host-session"));
        provider = new TestProvider(); // for @AfterEach
    }
}
