package app.signin.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.config.Config;
import app.signin.testing.Browser;
import app.signin.testing.SiteUnderTest;
import app.signin.testing.TestProvider;

/**
 * A callback that fails with a 503 may or may not still be finishable. Before the pending login is
 * consumed (client secret or discovery unavailable) the attempt is intact: the binding cookie stays and a
 * reload finishes the login. After it is consumed (token endpoint down) the page must say "start again"
 * and drop the binding cookie instead of inviting a reload that can only fail.
 */
class CallbackResumeTest {
    static final String SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:google-AbCdEf";

    @Test
    void callback_whenTheClientSecretCannotBeRead_is503KeepingTheAttempt_andAReloadFinishesTheLogin() {
        AtomicBoolean secretsManagerUp = new AtomicBoolean(false);
        try (SiteUnderTest site = SiteUnderTest.builder().inMemory().without(Config.GOOGLE_CLIENT_SECRET)
                .env(Config.GOOGLE_CLIENT_SECRET_ARN, SECRET_ARN).secretsManager(arn -> {
                    if (arn.equals(SECRET_ARN) && !secretsManagerUp.get()) {
                        throw new IllegalStateException("Secrets Manager is down");
                    }
                    return arn.equals(SECRET_ARN) ? TestProvider.CLIENT_SECRET : SiteUnderTest.SESSION_SECRET;
                }).start()) {
            Browser browser = site.browser();
            APIGatewayV2HTTPResponse login = browser.get("/login");
            site.provider().nextUser("user-r1", "rita@example.com");
            URI back = site.provider().authorize(login.getHeaders().get("location"));
            String callback = back.getRawPath() + "?" + back.getRawQuery();

            APIGatewayV2HTTPResponse failed = browser.get(callback);
            assertThat(failed.getStatusCode()).isEqualTo(503);
            assertThat(failed.getBody()).contains("secret_unavailable");
            assertThat(failed.getHeaders()).containsKey("retry-after");
            assertThat(failed.getCookies()).isNull(); // the binding cookie survives
            assertThat(site.provider().countRequests("/token")).isZero();

            secretsManagerUp.set(true);
            APIGatewayV2HTTPResponse reloaded = browser.get(callback);
            assertThat(reloaded.getStatusCode()).isEqualTo(303);
            assertThat(browser.get("/").getBody()).contains("rita@example.com");
        }
    }

    @Test
    void callback_whenTheTokenEndpointIsDownAfterTheAttemptWasConsumed_saysStartAgain_andDropsTheBindingCookie() {
        try (SiteUnderTest site = SiteUnderTest.builder().inMemory().start()) {
            Browser browser = site.browser();
            APIGatewayV2HTTPResponse login = browser.get("/login");
            site.provider().nextUser("user-r2", "sam@example.com");
            URI back = site.provider().authorize(login.getHeaders().get("location"));
            site.app().provider().metadata(); // discovery is cached; now the provider goes away
            site.provider().close();

            APIGatewayV2HTTPResponse failed = browser.get(back.getRawPath() + "?" + back.getRawQuery());
            assertThat(failed.getStatusCode()).isEqualTo(503);
            assertThat(failed.getBody()).contains("cannot be resumed").contains("start again");
            assertThat(failed.getCookies()).anyMatch(c -> c.startsWith("__Host-login-") && c.contains("Max-Age=0"));
            assertThat(browser.cookies().keySet()).noneMatch(n -> n.startsWith("__Host-login-") || n.equals("__Host-session"));
        }
    }
}
