package app.signin.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.config.Branding;
import app.signin.log.Log;
import app.signin.web.Pages;

/** The $default route: the site's 404 page for browsers, JSON for API paths and API clients. */
class NotFoundHandlerTest {
    final NotFoundHandler handler = new NotFoundHandler(new Pages(Branding.DEFAULT), new Log(new java.io.PrintStream(java.io.OutputStream.nullOutputStream())));

    static APIGatewayV2HTTPEvent get(String path, String accept) {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRawPath(path);
        event.setRouteKey("$default");
        Map<String, String> headers = new HashMap<>();
        if (accept != null) {
            headers.put("accept", accept);
        }
        event.setHeaders(headers);
        APIGatewayV2HTTPEvent.RequestContext ctx = new APIGatewayV2HTTPEvent.RequestContext();
        ctx.setRequestId("req-404");
        ctx.setDomainName("id.execute-api.eu-west-1.amazonaws.com");
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod("GET");
        http.setPath(path);
        ctx.setHttp(http);
        event.setRequestContext(ctx);
        return event;
    }

    static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    @Test
    void aBrowserOnAnUnknownPath_getsTheSites404Page() {
        APIGatewayV2HTTPResponse r = handler.handleRequest(get("/no/such/page", BROWSER_ACCEPT), null);
        assertThat(r.getStatusCode()).isEqualTo(404);
        assertThat(r.getHeaders().get("content-type")).startsWith("text/html");
        assertThat(r.getBody()).contains("<h1>Page not found</h1>").contains("href=\"/\">Go to the start page</a>")
                .contains("<code id=\"request-id\">req-404</code>");
        assertThat(r.getHeaders().get("content-security-policy")).contains("style-src 'sha256-").contains("frame-ancestors 'none'");
        assertThat(r.getHeaders()).containsEntry("cache-control", "no-store").containsEntry("x-content-type-options", "nosniff");
    }

    @Test
    void anUnknownApiPath_staysJson_evenForABrowser() {
        APIGatewayV2HTTPResponse r = handler.handleRequest(get("/api/nope", BROWSER_ACCEPT), null);
        assertThat(r.getStatusCode()).isEqualTo(404);
        assertThat(r.getHeaders().get("content-type")).isEqualTo("application/json");
        assertThat(r.getBody()).contains("\"error\":\"not_found\"").contains("\"requestId\":\"req-404\"");
    }

    @Test
    void aClientAskingForJson_orNotForHtml_getsJson() {
        for (String accept : new String[] {"application/json", "*/*", null}) {
            APIGatewayV2HTTPResponse r = handler.handleRequest(get("/nope", accept), null);
            assertThat(r.getStatusCode()).as(accept).isEqualTo(404);
            assertThat(r.getHeaders().get("content-type")).as(accept).isEqualTo("application/json");
        }
    }
}
