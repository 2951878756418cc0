package app.signin.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.testing.Browser;
import app.signin.testing.SiteExtension;
import app.signin.testing.SiteUnderTest;
import app.signin.testing.TestProvider;

/** What GET /login sends the browser to: the authorization request of OIDC core 3.1.2.1 with PKCE. */
class LoginRedirectTest {
    @RegisterExtension
    final SiteExtension site = SiteUnderTest.builder().extension();


    static Map<String, String> query(String url) {
        Map<String, String> q = new HashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            q.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
        }
        return q;
    }

    @Test
    void login_redirectsToTheAuthorizationEndpoint_withCodeFlowStateNonceAndS256() {
        APIGatewayV2HTTPResponse r = site.browser().get("/login");
        assertThat(r.getStatusCode()).isEqualTo(302);
        String location = r.getHeaders().get("location");
        assertThat(location).startsWith(site.provider().issuer() + "/authorize?");
        Map<String, String> q = query(location);
        assertThat(q).containsEntry("response_type", "code")
                .containsEntry("scope", "openid email profile")
                .containsEntry("client_id", TestProvider.CLIENT_ID)
                .containsEntry("redirect_uri", "https://" + Browser.DOMAIN + "/callback")
                .containsEntry("code_challenge_method", "S256");
        assertThat(q).as("no refresh token asked for without GOOGLE_OFFLINE_ACCESS")
                .doesNotContainKeys("access_type", "prompt");
        assertThat(q.get("state")).matches("[A-Za-z0-9_-]{43}");
        assertThat(q.get("nonce")).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(q.get("state"));
        assertThat(q.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
        assertThat(r.getCookies()).singleElement().asString()
                .startsWith("__Host-login-").contains("HttpOnly").contains("Secure").contains("SameSite=Lax")
                .contains("Path=/").contains("Max-Age=600").doesNotContainIgnoringCase("domain=");
    }

    @Test
    void everyLogin_drawsFreshStateNonceAndVerifier() {
        Browser browser = site.browser();
        Set<String> values = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            Map<String, String> q = query(browser.get("/login").getHeaders().get("location"));
            values.add(q.get("state"));
            values.add(q.get("nonce"));
            values.add(q.get("code_challenge"));
        }
        assertThat(values).hasSize(60);
    }
}
