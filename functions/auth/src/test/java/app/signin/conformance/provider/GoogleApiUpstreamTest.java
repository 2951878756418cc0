package app.signin.conformance.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * {@code GET /api/google/userinfo} against a provider that answers whatever the test says: a refresh
 * without a new refresh token keeps the old one, every upstream failure is the right JSON status with the
 * request id, a refused refresh token ends the session, and no token reaches a response or a log line.
 */
class GoogleApiUpstreamTest extends ProviderHarness {
    static final RSAKey KEY = IdTokens.rsaKey("google-api-key-1");
    static final String SUB = "110169484474386276334"; // the ID tokens' sub
    static final String USERINFO = "/api/google/userinfo";
    static final String REFRESH_TOKEN = "1//0refresh-token-of-the-sign-in";
    /** Below AccessTokens.EXPIRY_SKEW: such a token is due for renewal at once. */
    static final int ALREADY_DUE = 30;

    final List<String> userinfoAuthorizations = new CopyOnWriteArrayList<>();

    @Override
    JWK signingKey() {
        return KEY;
    }

    /** Signs in; the token endpoint's answer carries these extra members (refresh_token, expires_in). */
    Attempt signedIn(Map<String, Object> extra) {
        Attempt a = startLogin();
        Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("id_token", a.token().compact(),
                "access_token", "ya29.access-of-the-sign-in", "token_type", "Bearer"));
        body.putAll(extra);
        provider.on(HostileProvider.TOKEN, HostileProvider.Reply.json(200, JSONObjectUtils.toJSONString(body)));
        assertSignedIn(a, a.callback());
        return a;
    }

    /** The token endpoint's answer to a refresh: a new access token, due again at once, and no refresh token. */
    void refreshAnswers(String accessToken) {
        provider.on(HostileProvider.TOKEN, HostileProvider.Reply.json(200, "{\"access_token\":\"" + accessToken
                + "\",\"token_type\":\"Bearer\",\"expires_in\":" + ALREADY_DUE + ",\"scope\":\"openid email profile\"}"));
    }

    void userinfoAnswers(int status, String json) {
        provider.on(HostileProvider.USERINFO, (exchange, p) -> {
            userinfoAuthorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            HostileProvider.Reply.json(status, json).answer(exchange, p);
        });
    }

    @Test
    void aRefreshWithoutANewRefreshToken_keepsTheOldOne_forTheNextRefresh() {
        Attempt a = signedIn(Map.of("refresh_token", REFRESH_TOKEN, "expires_in", ALREADY_DUE));
        userinfoAnswers(200, "{\"sub\":\"" + SUB + "\",\"email\":\"alice@example.com\",\"email_verified\":true}");
        refreshAnswers("ya29.first-refresh");

        APIGatewayV2HTTPResponse first = a.browser.get(USERINFO);
        refreshAnswers("ya29.second-refresh");
        APIGatewayV2HTTPResponse second = a.browser.get(USERINFO);

        assertThat(first.getStatusCode()).as(first.getBody()).isEqualTo(200);
        assertThat(second.getStatusCode()).as(second.getBody()).isEqualTo(200);
        assertThat(JSONObjectUtils.toJSONString(json(second))).contains("\"email_verified\":true");
        List<Map<String, String>> refreshes = provider.tokenRequests().stream()
                .filter(f -> "refresh_token".equals(f.get("grant_type"))).toList();
        assertThat(refreshes).as("one refresh per call, each with the sign-in's refresh token").hasSize(2)
                .allSatisfy(f -> assertThat(f).containsEntry("refresh_token", REFRESH_TOKEN)
                        .containsEntry("client_id", HostileProvider.CLIENT_ID)
                        .containsEntry("client_secret", HostileProvider.CLIENT_SECRET)
                        .doesNotContainKey("(duplicated)"));
        assertThat(userinfoAuthorizations).containsExactly("Bearer ya29.first-refresh", "Bearer ya29.second-refresh");
        assertThat(first.getBody() + second.getBody()).doesNotContain("ya29.", REFRESH_TOKEN);
        assertThat(log()).doesNotContain("ya29.", REFRESH_TOKEN, HostileProvider.CLIENT_SECRET, "Bearer");
    }

    @Test
    void aFreshToken_isUsedAsItIs_withoutARefresh() {
        Attempt a = signedIn(Map.of("refresh_token", REFRESH_TOKEN, "expires_in", 3599));
        userinfoAnswers(200, "{\"sub\":\"" + SUB + "\",\"name\":\"Alice Example\"}");

        APIGatewayV2HTTPResponse r = a.browser.get(USERINFO);

        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(json(r)).isEqualTo(Map.of("sub", SUB, "name", "Alice Example"));
        assertThat(userinfoAuthorizations).containsExactly("Bearer ya29.access-of-the-sign-in");
        assertThat(provider.requests(HostileProvider.TOKEN)).as("the exchange only").isEqualTo(1);
    }

    @Test
    void refreshRefusedWithInvalidGrant_endsTheSession_andIs401() {
        Attempt a = signedIn(Map.of("refresh_token", REFRESH_TOKEN, "expires_in", ALREADY_DUE));
        provider.on(HostileProvider.TOKEN, HostileProvider.Reply.json(400,
                "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}"));

        assertJsonError(a.browser.get(USERINFO), 401, "google_authorization_ended");

        assertThat(sessionItems()).as("session ended").isEmpty();
        assertThat(provider.requests(HostileProvider.USERINFO)).isZero();
    }

    @Test
    void anExpiredAccessTokenWithoutRefreshToken_is401_andTheSessionStays() {
        Attempt a = signedIn(Map.of("expires_in", ALREADY_DUE)); // signed in without offline access

        assertJsonError(a.browser.get(USERINFO), 401, "google_authorization_ended");

        assertThat(sessionItems()).as("still signed in to the site").hasSize(1);
        assertThat(provider.requests(HostileProvider.TOKEN)).as("no refresh attempted").isEqualTo(1);
    }

    @Test
    void refreshAnswered500_is502_andTheSessionStays() {
        Attempt a = signedIn(Map.of("refresh_token", REFRESH_TOKEN, "expires_in", ALREADY_DUE));
        provider.on(HostileProvider.TOKEN, HostileProvider.Reply.json(500, "{\"error\":\"internal_failure\"}"));

        assertJsonError(a.browser.get(USERINFO), 502, "token_exchange_failed");

        assertThat(sessionItems()).hasSize(1);
    }

    @Test
    void refreshWhoseConnectionDrops_is503WithRetryAfter_andTheSessionStays() {
        Attempt a = signedIn(Map.of("refresh_token", REFRESH_TOKEN, "expires_in", ALREADY_DUE));
        provider.on(HostileProvider.TOKEN, HostileProvider.Reply.dropConnection());

        assertJsonError(a.browser.get(USERINFO), 503, "provider_unavailable");

        assertThat(sessionItems()).hasSize(1);
    }

    @Test
    void userinfoAnswered500_is502() {
        Attempt a = signedIn(Map.of("expires_in", 3599));
        userinfoAnswers(500, "{\"error\":\"backendError\"}");

        assertJsonError(a.browser.get(USERINFO), 502, "google_api_failed");
    }

    @Test
    void userinfoThatHangs_is503WithinTheCallBudget() {
        Attempt a = signedIn(Map.of("expires_in", 3599));
        provider.on(HostileProvider.USERINFO, HostileProvider.Reply.hang());

        long started = System.nanoTime();
        APIGatewayV2HTTPResponse r = a.browser.get(USERINFO);

        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(FAST.callTimeout().toMillis() * 3);
        assertJsonError(r, 503, "provider_unavailable");
    }

    @Test
    void userinfoAbout_anotherUser_is502_andNotShown() {
        Attempt a = signedIn(Map.of("expires_in", 3599));
        userinfoAnswers(200, "{\"sub\":\"someone-else\",\"email\":\"mallory@example.com\"}");

        APIGatewayV2HTTPResponse r = a.browser.get(USERINFO);

        assertJsonError(r, 502, "google_api_failed");
        assertThat(r.getBody()).doesNotContain("mallory");
    }

    @Test
    void userinfoAnswered401_isASignInAgain401() {
        Attempt a = signedIn(Map.of("expires_in", 3599));
        userinfoAnswers(401, "{\"error\":\"invalid_token\"}");

        assertJsonError(a.browser.get(USERINFO), 401, "google_authorization_ended");
    }

    @Test
    void userinfoAnswered401_marksTheStoredTokenExpired_soTheNextCallRefreshes_andARevokedGrantEndsTheSession() {
        // GIVEN a fresh access token that Google has stopped accepting (the grant was revoked)
        Attempt a = signedIn(Map.of("refresh_token", REFRESH_TOKEN, "expires_in", 3599));
        userinfoAnswers(401, "{\"error\":\"invalid_token\"}");
        assertJsonError(a.browser.get(USERINFO), 401, "google_authorization_ended");
        provider.on(HostileProvider.TOKEN, HostileProvider.Reply.json(400,
                "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}"));

        // WHEN the next call comes, within the refused token's hour
        APIGatewayV2HTTPResponse next = a.browser.get(USERINFO);

        // THEN it refreshes instead of sending the refused token again, and the refused refresh ends the session
        assertJsonError(next, 401, "google_authorization_ended");
        assertThat(userinfoAuthorizations).as("the refused token went to Google once").hasSize(1);
        assertThat(provider.tokenRequests().stream().filter(f -> "refresh_token".equals(f.get("grant_type"))))
                .singleElement().satisfies(f -> assertThat(f).containsEntry("refresh_token", REFRESH_TOKEN));
        assertThat(sessionItems()).as("session ended").isEmpty();
    }

    /** A JSON error in the API's one shape, with the request id in the body and the log, and no token anywhere. */
    void assertJsonError(APIGatewayV2HTTPResponse r, int status, String reason) {
        String log = log();
        assertThat(r.getStatusCode()).as("status; body %s; log:%n%s", r.getBody(), log).isEqualTo(status);
        assertThat(r.getHeaders().get("content-type")).startsWith("application/json");
        Map<String, Object> body = json(r);
        assertThat(body).containsEntry("error", reason).containsKey("message");
        assertThat((String) body.get("requestId")).matches("[0-9a-f-]{36}");
        assertThat(log).contains("\"requestId\":\"" + body.get("requestId") + "\"").contains("\"reason\":\"" + reason + "\"");
        assertThat(r.getBody()).doesNotContain("Exception", "app.signin.", "ya29.", REFRESH_TOKEN);
        assertThat(log).doesNotContain("ya29.", REFRESH_TOKEN, HostileProvider.CLIENT_SECRET, "Bearer");
        assertThat(r.getCookies() == null ? List.of() : r.getCookies()).isEmpty();
        if (status == 503) {
            assertThat(r.getHeaders()).containsKey("retry-after");
        } else {
            assertThat(r.getHeaders()).doesNotContainKey("retry-after");
        }
    }

    static Map<String, Object> json(APIGatewayV2HTTPResponse r) {
        try {
            return JSONObjectUtils.parse(r.getBody());
        } catch (java.text.ParseException e) {
            throw new AssertionError("not JSON: " + r.getBody(), e);
        }
    }
}
