package app.signin.conformance.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;

import app.signin.handler.HelloHandler;
import app.signin.handler.MeHandler;
import app.signin.handler.Wiring;
import app.signin.log.Log;
import app.signin.testing.ApiGateway;
import app.signin.testing.Browser;
import app.signin.testing.Handlers;

/**
 * What only the bearer path has: the {@code Authorization} header's own shape, several allowed audiences
 * (an app's token names the web client as {@code aud} and itself as {@code azp}), the header as the only
 * credential considered, pages that stay cookie-only, and {@code via} for the route's function. The hostile
 * tokens themselves are {@link IdTokenRejectionTest}'s, run here too.
 */
class BearerTokenTest extends ProviderHarness {
    static final RSAKey KEY = IdTokens.rsaKey("google-key-1");
    static final String ANDROID = "android-client.apps.googleusercontent.com";
    static final String IOS = "ios-client.apps.googleusercontent.com";

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
        return Map.of("ALLOWED_AUDIENCES", HostileProvider.CLIENT_ID + " " + ANDROID + "," + IOS);
    }

    @Test
    void bearer_withAGoodToken_answersForTheUser_viaBearer_withoutAStoreCall() {
        Attempt a = start();
        APIGatewayV2HTTPResponse r = loginWith(a, a.token().compact());
        assertSignedIn(a, r);
        assertThat(r.getBody()).isEqualTo("{\"authenticated\":true,\"sub\":\"110169484474386276334\","
                + "\"email\":\"alice@example.com\",\"name\":\"Alice Example\",\"via\":\"bearer\"}");
        assertThat(provider.requests(HostileProvider.TOKEN)).as("no code, no token endpoint").isZero();
    }

    @Test
    void bearer_fromAnAndroidApp_webClientAsAudience_appAsAuthorizedParty_isAccepted() {
        Attempt a = start();
        assertSignedIn(a, loginWith(a, a.token().claim("azp", ANDROID).compact()));
    }

    @Test
    void bearer_mintedForAnotherAllowedClient_isAccepted() {
        Attempt a = start();
        assertSignedIn(a, loginWith(a, a.token().claim("aud", IOS).claim("azp", IOS).compact()));
    }

    @Test
    void bearer_withAnAuthorizedPartyThatIsNotAllowed_isRejected() {
        Attempt a = start();
        rejectsAsInvalid(a, a.token().claim("azp", "someone-else.apps.googleusercontent.com"),
                "azp is not an allowed audience");
    }

    @Test
    void bearer_forAnotherAudience_isRejected_sayingSo() {
        Attempt a = start();
        APIGatewayV2HTTPResponse r = rejects(a, a.token().claim("aud", "another-api.apps.googleusercontent.com")
                .without("azp").compact(), 401, "id_token_invalid");
        assertThat(r.getBody()).contains("\"error_description\":\"The ID token was issued for another client\"");
    }

    @Test
    void bearer_expired_saysSo_inTheChallenge() {
        Attempt a = start();
        long now = java.time.Instant.now().getEpochSecond();
        APIGatewayV2HTTPResponse r = rejects(a, a.token().claim("iat", now - 7200).claim("exp", now - 3600).compact(),
                401, "Expired JWT");
        assertThat(r.getHeaders().get("www-authenticate"))
                .isEqualTo("Bearer error=\"invalid_token\", error_description=\"The ID token has expired\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer", "Bearer ", "Bearer    ", "bearer", "Basic YWxpY2U6c2VjcmV0", "Token abc",
            "Bearer a b", "Bearer \"abc\"", "Bearer abc==x", ""})
    void bearer_withAMalformedAuthorizationHeader_isRejected_asInvalidToken(String header) {
        Attempt a = start();
        APIGatewayV2HTTPResponse r = callApi(a, Map.of("authorization", header));
        assertBearerRefused(r, 401, "invalid_token");
        assertThat(provider.requests(HostileProvider.JWKS)).as("nothing fetched for a malformed header").isZero();
    }

    @Test
    void bearer_withTwoAuthorizationHeaders_isRejected() {
        // API Gateway joins repeated headers with a comma: two tokens, or a token and anything else.
        Attempt a = start();
        String token = a.token().compact();
        APIGatewayV2HTTPResponse r = callApi(a, Map.of("authorization", "Bearer " + token + ",Bearer " + token));
        assertBearerRefused(r, 401, "invalid_token");
        assertThat(log()).contains("not one b64token");
    }

    @Test
    void bearer_withTheSchemeInAnyCase_isAccepted() {
        Attempt a = start();
        assertSignedIn(a, callApi(a, Map.of("authorization", "bEaReR  " + a.token().compact())));
    }

    @Test
    void bearer_withAnAccessTokenInsteadOfAnIdToken_isRejected() {
        // What a client that confuses the two sends: Google's opaque access token.
        Attempt a = start();
        APIGatewayV2HTTPResponse r = callApi(a, Map.of("authorization",
                "Bearer ya29.a0AfB_byC7hQx2mJrLk3nVdS8Wq1EeRtYuIoPaSdFgHjKlZxCvBnM0123456789"));
        assertBearerRefused(r, 401, "not a compact JWS");
    }

    @Test
    void bearer_withAFloodOfUnknownKids_fetchesTheJwksAtMostTwice_andGenuineTokensStillPass() {
        RSAKey unpublished = IdTokens.rsaKey("never-published");
        for (int i = 0; i < 50; i++) {
            Attempt a = start();
            assertBearerRefused(loginWith(a, a.token().signedWith(unpublished).header("kid", "made-up-" + i).compact()),
                    401, "no matching key");
        }
        assertThat(provider.requests(HostileProvider.JWKS)).isLessThanOrEqualTo(2);
        Attempt genuine = start();
        assertSignedIn(genuine, loginWith(genuine, genuine.token().compact()));
        assertThat(provider.requests(HostileProvider.JWKS)).isLessThanOrEqualTo(2);
    }

    /** A browser signed in through the real login, that can also call the API routes. */
    Browser signedInBrowser() {
        Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> routes =
                new HashMap<>(Handlers.routes(app));
        routes.put("/api/me", new ApiGateway(Wiring.authorizer(app), new MeHandler(Log.stdout(), Set.of())));
        routes.put("/api/hello", new ApiGateway(Wiring.authorizer(app), new HelloHandler()));
        routes.put("/api/google/userinfo", new ApiGateway(Wiring.authorizer(app), Wiring.googleUserinfo(app)));
        Browser browser = new Browser(routes);
        APIGatewayV2HTTPResponse login = browser.get("/login");
        String nonce = param(login.getHeaders().get("location"), "nonce");
        String state = param(login.getHeaders().get("location"), "state");
        provider.issue(IdTokens.valid(KEY, provider.issuer().toString(), nonce).compact());
        assertThat(browser.get("/callback?code=" + CODE + "&state=" + state).getStatusCode()).isEqualTo(303);
        assertThat(browser.get("/api/me").getBody()).contains("\"via\":\"session\"");
        return browser;
    }

    @Test
    void aGoodCookie_withABadBearerToken_isRefused_theHeaderIsTheOnlyCredentialConsidered() {
        Browser browser = signedInBrowser();
        String expired = IdTokens.valid(KEY, provider.issuer().toString(), null).without("nonce")
                .claim("exp", java.time.Instant.now().getEpochSecond() - 3600).compact();
        Map<String, String> bad = Map.of("authorization", "Bearer " + expired);

        APIGatewayV2HTTPResponse me = browser.send("GET", "/api/me", bad, null);
        assertThat(me.getStatusCode()).isEqualTo(401);
        assertThat(me.getBody()).startsWith("{\"error\":\"invalid_token\"").doesNotContain("alice@example.com");
        assertThat(browser.send("GET", "/api/hello", bad, null).getStatusCode()).isEqualTo(403);
        assertThat(browser.send("GET", "/api/me", Map.of("authorization", "Bearer"), null).getStatusCode())
                .isEqualTo(401);
        // Without the header the cookie still works: nothing was ended by the refusal.
        assertThat(browser.get("/api/me").getStatusCode()).isEqualTo(200);
    }

    /**
     * A bearer caller is authenticated but has no stored Google grant: the Google API route answers 403
     * {@code session_required} as JSON - and does not fall back to a session cookie sent beside the token,
     * which the authorizer did not judge and which may be another user's.
     */
    @Test
    void googleUserinfo_forABearerCaller_is403SessionRequired_evenWithASessionCookieBesideIt() {
        Browser browser = signedInBrowser();
        assertThat(browser.get("/api/me").getBody()).contains("\"via\":\"session\"");
        Map<String, String> good = Map.of("authorization", "Bearer " + start().token().compact());
        int userinfoCalls = provider.requests(HostileProvider.USERINFO);
        int tokenCalls = provider.requests(HostileProvider.TOKEN);

        APIGatewayV2HTTPResponse withCookie = browser.send("GET", "/api/google/userinfo", good, null);
        APIGatewayV2HTTPResponse alone = new Browser(Map.of("/api/google/userinfo",
                new ApiGateway(Wiring.authorizer(app), Wiring.googleUserinfo(app)))).send("GET", "/api/google/userinfo", good, null);

        for (APIGatewayV2HTTPResponse r : List.of(withCookie, alone)) {
            assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(403);
            assertThat(r.getHeaders().get("content-type")).startsWith("application/json");
            assertThat(r.getBody()).startsWith("{\"error\":\"session_required\"").contains("\"requestId\":")
                    .doesNotContain("alice@example.com");
        }
        assertThat(provider.requests(HostileProvider.USERINFO)).as("no call to the provider's userinfo")
                .isEqualTo(userinfoCalls);
        assertThat(provider.requests(HostileProvider.TOKEN)).as("no refresh").isEqualTo(tokenCalls);
    }

    @Test
    void pagesStayCookieOnly_aBearerTokenNeverSignsABrowserIn() {
        Browser browser = new Browser(Handlers.routes(app));
        Map<String, String> good = Map.of("authorization", "Bearer " + start().token().compact());

        APIGatewayV2HTTPResponse index = browser.send("GET", "/", good, null);

        assertThat(index.getStatusCode()).isEqualTo(200);
        assertThat(index.getBody()).contains("id=\"login\" href=\"/login\"").doesNotContain("alice@example.com");
        assertThat(index.getCookies() == null ? List.<String>of() : index.getCookies())
                .noneMatch(c -> c.startsWith(SESSION_COOKIE + "=v1"));
        assertThat(browser.cookies()).doesNotContainKey(SESSION_COOKIE);
    }

    @Test
    void theRoutesFunction_getsViaBearer_inTheAuthorizerContext() {
        Map<String, String> good = Map.of("authorization", "Bearer " + start().token().compact());
        APIGatewayV2HTTPEvent event = Browser.event("GET", "/api/hello", good, null, List.of());

        Map<String, Object> decision = Wiring.authorizer(app).handleRequest(event, null);

        assertThat(decision).containsEntry("isAuthorized", true);
        assertThat(decision.get("context")).isEqualTo(Map.of("authenticated", true, "sub", "110169484474386276334",
                "email", "alice@example.com", "name", "Alice Example", "via", "bearer"));
        assertThat(store.totalCalls()).isZero();
    }
}
