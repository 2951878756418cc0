package app.signin.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.protect.RequireLogin;
import app.signin.testing.Browser;
import app.signin.testing.Handlers;
import app.signin.testing.SiteExtension;
import app.signin.testing.SiteUnderTest;
import app.signin.web.Html;
import app.signin.web.HttpRequest;
import app.signin.web.HttpResponse;
import app.signin.web.PublicOrigin;

/** A page that requires login, built on {@link RequireLogin} the way a page handler uses it. */
class RequireLoginTest {
    @RegisterExtension
    final SiteExtension site = SiteUnderTest.builder().extension();

    static final String SESSION_COOKIE = "__Host-session";
    static final String SITE = "https://" + Browser.DOMAIN;


    /** The page under test: "Reports for <email>", for signed-in users only. */
    RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> reportsPage() {
        RequireLogin requireLogin = new RequireLogin(site.app().sessions());
        return (APIGatewayV2HTTPEvent event, Context context) -> {
            HttpRequest request = new HttpRequest(event);
            PublicOrigin origin = PublicOrigin.of(Optional.empty(), request);
            return requireLogin.page(request, origin, site.app().clock().instant(), session -> HttpResponse.html(200,
                    "<p id=\"reports\">Reports for " + Html.escape(session.session().email()) + "</p>"))
                    .build(origin);
        };
    }

    Browser browser() {
        Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> routes =
                new HashMap<>(Handlers.routes(site.app()));
        routes.put("/reports/2025", reportsPage());
        return new Browser(routes);
    }

    @Test
    void page_withoutSession_redirectsToLogin_withTheOriginalPathAndQueryEncoded() {
        APIGatewayV2HTTPResponse r = browser().get("/reports/2025?tab=q3&sort=desc");

        assertThat(r.getStatusCode()).isEqualTo(303);
        assertThat(r.getHeaders().get("location"))
                .isEqualTo(SITE + "/login?return_to=%2Freports%2F2025%3Ftab%3Dq3%26sort%3Ddesc");
        assertThat(r.getCookies()).isNull(); // no cookie was sent, none is cleared
    }

    @Test
    void page_redirect_thenLogin_comesBackToTheSamePage_signedIn() {
        Browser browser = browser();
        APIGatewayV2HTTPResponse toLogin = browser.get("/reports/2025?tab=q3");

        APIGatewayV2HTTPResponse toProvider = browser.follow(toLogin);
        assertThat(toProvider.getStatusCode()).isEqualTo(302);
        site.provider().nextUser("user-1", "alice@example.com");
        URI back = site.provider().authorize(toProvider.getHeaders().get("location"));
        APIGatewayV2HTTPResponse done = browser.get(back.getRawPath() + "?" + back.getRawQuery());

        assertThat(done.getHeaders().get("location")).isEqualTo(SITE + "/reports/2025?tab=q3");
        APIGatewayV2HTTPResponse page = browser.follow(done);
        assertThat(page.getStatusCode()).isEqualTo(200);
        assertThat(page.getBody()).contains("Reports for alice@example.com");
    }

    @Test
    void page_withADeadSessionCookie_redirects_andClearsTheCookie() {
        Browser browser = browser();
        browser.cookies().put(SESSION_COOKIE, "v1.forged.value.mac");

        APIGatewayV2HTTPResponse r = browser.get("/reports/2025");

        assertThat(r.getStatusCode()).isEqualTo(303);
        assertThat(r.getHeaders().get("location")).isEqualTo(SITE + "/login?return_to=%2Freports%2F2025");
        assertThat(r.getCookies()).singleElement().asString().startsWith(SESSION_COOKIE + "=;").contains("Max-Age=0");
    }

    @Test
    void page_whosePathCouldNotBeReturnedTo_sendsTheUserBackToTheStartPage() {
        RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> page = reportsPage();
        APIGatewayV2HTTPEvent event = Browser.event("GET", "/reports/2025", Map.of(), null, null);
        event.setRawPath("//evil.example/reports"); // what a hand-made request could put there

        APIGatewayV2HTTPResponse r = page.handleRequest(event, null);

        assertThat(r.getHeaders().get("location")).isEqualTo(SITE + "/login?return_to=%2F");
    }
}
