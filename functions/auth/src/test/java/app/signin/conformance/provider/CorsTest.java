package app.signin.conformance.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;

import app.signin.handler.MeHandler;
import app.signin.log.Log;
import app.signin.testing.Browser;

/**
 * CORS on {@code /api/me} for exactly the sibling origins: the preflight ({@code OPTIONS}, its own route
 * without the authorizer), a credentialed request from a listed origin, an unlisted one, and {@code null}.
 */
class CorsTest extends ProviderHarness {
    static final RSAKey KEY = IdTokens.rsaKey("google-key-1");
    static final String SIBLING = "https://app.example.com";

    @Override
    JWK signingKey() {
        return KEY;
    }

    @Override
    EntryPoint entryPoint() {
        return EntryPoint.BEARER;
    }

    @Override
    Map<String, String> extraEnv() {
        return Map.of("ALLOWED_RETURN_ORIGINS", SIBLING + " http://127.0.0.1:4000");
    }

    APIGatewayV2HTTPResponse preflight(Map<String, String> headers) {
        MeHandler me = new MeHandler(Log.stdout(), app.config().allowedReturnOrigins());
        return me.handleRequest(Browser.event("OPTIONS", "/api/me", headers, null, null), null);
    }

    @Test
    void preflight_fromAListedOrigin_allowsGetWithTheAuthorizationHeader_andCredentials() {
        APIGatewayV2HTTPResponse r = preflight(Map.of("origin", SIBLING, "access-control-request-method", "GET",
                "access-control-request-headers", "authorization"));

        assertThat(r.getStatusCode()).isEqualTo(204);
        assertThat(r.getHeaders()).containsEntry("access-control-allow-origin", SIBLING)
                .containsEntry("access-control-allow-credentials", "true")
                .containsEntry("access-control-allow-methods", "GET")
                .containsEntry("access-control-allow-headers", "Authorization")
                .containsEntry("vary", "Origin");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example", "null", "https://app.example.com.evil.example",
            "https://APP.EXAMPLE.COM", "http://app.example.com", "https://app.example.com:443"})
    void preflight_fromAnyOtherOrigin_getsNoCorsHeaderAtAll(String origin) {
        APIGatewayV2HTTPResponse r = preflight(Map.of("origin", origin, "access-control-request-method", "GET"));

        assertThat(r.getHeaders().keySet()).noneMatch(h -> h.startsWith("access-control-"));
        assertThat(r.getHeaders()).containsEntry("vary", "Origin");
    }

    @Test
    void preflight_forAnotherMethod_isNotAllowed() {
        APIGatewayV2HTTPResponse r = preflight(Map.of("origin", SIBLING, "access-control-request-method", "DELETE"));

        assertThat(r.getHeaders().keySet()).noneMatch(h -> h.startsWith("access-control-"));
    }

    @Test
    void credentialedRequest_fromAListedOrigin_echoesIt_withCredentials() {
        Attempt a = start();
        APIGatewayV2HTTPResponse r = callApi(a, Map.of("origin", SIBLING, "authorization", "Bearer " + a.token().compact()));

        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(r.getHeaders()).containsEntry("access-control-allow-origin", SIBLING)
                .containsEntry("access-control-allow-credentials", "true").containsEntry("vary", "Origin");
    }

    @Test
    void aRefusal_fromAListedOrigin_isReadableByThePage_too() {
        Attempt a = start();
        APIGatewayV2HTTPResponse r = callApi(a, Map.of("origin", "http://127.0.0.1:4000"));

        assertThat(r.getStatusCode()).isEqualTo(401);
        assertThat(r.getHeaders()).containsEntry("access-control-allow-origin", "http://127.0.0.1:4000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example", "null"})
    void request_fromAnUnlistedOrNullOrigin_getsNoCorsHeaders(String origin) {
        Attempt a = start();
        APIGatewayV2HTTPResponse r = callApi(a, Map.of("origin", origin, "authorization", "Bearer " + a.token().compact()));

        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(r.getHeaders().keySet()).noneMatch(h -> h.startsWith("access-control-"));
        assertThat(r.getHeaders()).containsEntry("vary", "Origin");
    }
}
