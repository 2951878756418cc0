package app.signin.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * The stand-in for Google: whatever e-mail address is typed on its login page comes back in the ID token
 * as a verified {@code email}, with a {@code sub} that stays the same for the same address.
 */
class StandInProviderTest {
    static final String REDIRECT_URI = "http://localhost:3000/callback";
    static StandInProvider provider;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() {
        provider = StandInProvider.start();
    }

    @AfterAll
    static void stop() {
        provider.close();
    }

    @Test
    void issuer_isOnLoopback_soTheApplicationAcceptsItOverPlainHttp() {
        assertThat(provider.issuer().toString()).matches("http://localhost:\\d+/google");
    }

    @Test
    void loginPage_asksForAnEmailAddress_andSaysItIsNotGoogle() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(authorizationUrl("n-1")).build(), BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("This is not Google").contains("name=\"username\" type=\"email\"");
    }

    @Test
    void typedEmail_becomesAVerifiedEmailClaim_withANameAndThisClientAsAudience() throws Exception {
        JWTClaimsSet claims = signIn("alice@example.com", "nonce-1");

        assertThat(claims.getStringClaim("email")).isEqualTo("alice@example.com");
        assertThat(claims.getBooleanClaim("email_verified")).isTrue();
        assertThat(claims.getStringClaim("name")).isEqualTo(StandInProvider.NAME);
        assertThat(claims.getAudience()).containsExactly(StandInProvider.CLIENT_ID);
        assertThat(claims.getStringClaim("azp")).isEqualTo(StandInProvider.CLIENT_ID);
        assertThat(claims.getStringClaim("nonce")).isEqualTo("nonce-1");
        assertThat(claims.getIssuer()).isEqualTo(provider.issuer().toString());
    }

    @Test
    void sub_isStableForAnAddress_andDiffersBetweenAddresses() throws Exception {
        String first = signIn("bob@example.com", "n-2").getSubject();
        String again = signIn("bob@example.com", "n-3").getSubject();
        String other = signIn("carol@example.com", "n-4").getSubject();

        assertThat(first).isNotBlank().isEqualTo(again).isNotEqualTo(other);
    }

    /** The browser's part at the provider - login page, form post - then the application's code exchange. */
    JWTClaimsSet signIn(String email, String nonce) throws Exception {
        URI authorize = authorizationUrl(nonce);
        HttpResponse<String> submitted = http.send(HttpRequest.newBuilder(authorize)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString("username=" + enc(email))).build(), BodyHandlers.ofString());
        assertThat(submitted.statusCode()).as("login form answer").isEqualTo(302);
        URI back = URI.create(submitted.headers().firstValue("location").orElseThrow());
        assertThat(back.toString()).startsWith(REDIRECT_URI + "?");
        String code = query(back).get("code");

        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(provider.issuer() + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code", "code", code,
                        "redirect_uri", REDIRECT_URI, "client_id", StandInProvider.CLIENT_ID,
                        "client_secret", StandInProvider.CLIENT_SECRET))))
                .build(), BodyHandlers.ofString());
        assertThat(token.statusCode()).as("token endpoint answer").isEqualTo(200);
        String idToken = JSONObjectUtils.parse(token.body()).get("id_token").toString();
        return SignedJWT.parse(idToken).getJWTClaimsSet();
    }

    URI authorizationUrl(String nonce) {
        return URI.create(provider.issuer() + "/authorize?" + form(Map.of("client_id", StandInProvider.CLIENT_ID,
                "response_type", "code", "scope", "openid email profile", "redirect_uri", REDIRECT_URI,
                "state", "state-" + nonce, "nonce", nonce)));
    }

    static Map<String, String> query(URI uri) {
        return java.util.Arrays.stream(uri.getRawQuery().split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> java.net.URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
