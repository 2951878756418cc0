package app.signin.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;

import app.signin.handler.Wiring;
import app.signin.testing.SiteExtension;
import app.signin.testing.SiteUnderTest;

/**
 * The sample events in {@code events/} (the ones {@code sam local invoke -e} uses) driven through each
 * handler against real peers: what a developer sees when invoking a function by hand.
 */
class SampleEventsTest {
    @RegisterExtension
    final SiteExtension site = SiteUnderTest.builder().extension();

    static final String DOMAIN = "abc123.execute-api.eu-west-1.amazonaws.com";


    static APIGatewayV2HTTPEvent event(String name) {
        return EventLoader.loadApiGatewayHttpEvent(SiteUnderTest.EVENTS.resolve(name).toString());
    }

    @Test
    void indexEvent_withoutCookie_showsTheLoginLink() {
        APIGatewayV2HTTPResponse r = Wiring.index(site.app()).handleRequest(event("index.json"), null);
        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(r.getBody()).contains("href=\"/login\"").contains("Sign in with Google");
        assertThat(r.getHeaders()).containsEntry("cache-control", "no-store")
                .containsEntry("x-content-type-options", "nosniff")
                .containsKey("strict-transport-security");
        assertThat(r.getHeaders().get("content-security-policy")).contains("frame-ancestors 'none'");
    }

    @Test
    void loginEvent_redirectsToTheProvider_withTheRedirectUriOfTheEventsDomain() {
        APIGatewayV2HTTPResponse r = Wiring.login(site.app()).handleRequest(event("login.json"), null);
        assertThat(r.getStatusCode()).isEqualTo(302);
        assertThat(r.getHeaders().get("location"))
                .startsWith(site.provider().issuer() + "/authorize?")
                .contains("redirect_uri=https%3A%2F%2F" + DOMAIN + "%2Fcallback");
        assertThat(r.getCookies()).singleElement().asString().startsWith("__Host-login-");
    }

    @Test
    void callbackEvent_withoutItsBindingCookie_isRejectedWithoutATokenRequest() {
        site.provider().countRequests("/token");
        APIGatewayV2HTTPResponse r = Wiring.callback(site.app()).handleRequest(event("callback.json"), null);
        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(r.getBody()).contains("state_mismatch").contains("request id")
                .doesNotContain("Exception").doesNotContain("at app.signin");
        assertThat(r.getCookies()).noneMatch(c -> c.startsWith("__Host-session=v1"));
        assertThat(site.provider().countRequests("/token")).isZero();
    }

    @Test
    void logoutEvent_withAnUnverifiableCookie_clearsItAndGoesHome() {
        APIGatewayV2HTTPResponse r = Wiring.logout(site.app()).handleRequest(event("logout.json"), null);
        assertThat(r.getStatusCode()).isEqualTo(303);
        assertThat(r.getHeaders()).containsEntry("location", "https://" + DOMAIN + "/?signed_out=1");
        assertThat(r.getCookies()).singleElement().asString().startsWith("__Host-session=;").contains("Max-Age=0");
    }

    @Test
    void everySampleEvent_isAnHttpApiPayload2Event() {
        for (String name : new String[] {"index.json", "login.json", "callback.json", "logout.json"}) {
            APIGatewayV2HTTPEvent e = event(name);
            assertThat(e.getVersion()).as(name).isEqualTo("2.0");
            assertThat(e.getRequestContext().getDomainName()).as(name).isEqualTo(DOMAIN);
            assertThat(e.getRequestContext().getStage()).as(name).isEqualTo("$default");
            assertThat(e.getRequestContext().getRequestId()).as(name).isNotBlank();
        }
    }

    @Test
    void lambdaPackage_hasNoApacheOrNettyHttpClient() {
        // Only the URLConnection client may be on the classpath: lighter package and cold start.
        assertThatThrownBy(() -> Class.forName("software.amazon.awssdk.http.apache.ApacheHttpClient"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("software.amazon.awssdk.http.apache5.Apache5HttpClient"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient"))
                .isInstanceOf(ClassNotFoundException.class);
    }
}
