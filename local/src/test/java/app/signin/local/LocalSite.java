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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real HTTP to a started runner, the way a browser or a command-line client talks to it: a cookie jar
 * honouring {@code Set-Cookie} (deletion by {@code Max-Age=0} included), a sign-in through the stand-in
 * provider's login form, and a CLI's own Google ID token from the same provider.
 */
public final class LocalSite {
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    public final Map<String, String> jar = new LinkedHashMap<>();
    private final URI base;

    public LocalSite(URI base) {
        this.base = base;
    }

    /**
     * The browser's part: /login, the stand-in's form, the callback (sent here whatever origin the redirect
     * URI names); cookies kept in {@link #jar}. Returns the callback's answer.
     */
    public HttpResponse<String> signIn(String email) throws Exception {
        HttpResponse<String> login = get("/login");
        assertThat(login.statusCode()).isEqualTo(302);
        URI callback = submitStandInLogin(URI.create(login.headers().firstValue("location").orElseThrow()), email);
        HttpResponse<String> done = get(callback.getRawPath() + "?" + callback.getRawQuery());
        assertThat(done.statusCode()).isEqualTo(303);
        return done;
    }

    /**
     * What a CLI does for an ID token: the authorization code flow with a loopback redirect URI of its own,
     * then the code exchanged at the provider's token endpoint. The token is minted by the stand-in for
     * {@code clientId}, exactly as Google mints one for an installed app's client.
     */
    public String cliIdToken(URI issuer, String clientId, String clientSecret, String email) throws Exception {
        String redirect = "http://127.0.0.1:9/cli-callback"; // never contacted: the CLI reads the code off the URL
        URI authorize = URI.create(issuer + "/authorize?response_type=code&scope=openid%20email%20profile&client_id="
                + enc(clientId) + "&redirect_uri=" + enc(redirect) + "&state=cli-state&nonce=cli-nonce");
        String query = submitStandInLogin(authorize, email).getRawQuery();
        Matcher code = Pattern.compile("(?:^|&)code=([^&]+)").matcher(query);
        assertThat(code.find()).as("the provider redirected with a code").isTrue();
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(issuer + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString("grant_type=authorization_code&code=" + code.group(1) + "&redirect_uri="
                        + enc(redirect) + "&client_id=" + enc(clientId) + "&client_secret=" + enc(clientSecret)))
                .build(), BodyHandlers.ofString());
        assertThat(token.statusCode()).as("token endpoint").isEqualTo(200);
        Matcher idToken = Pattern.compile("\"id_token\"\\s*:\\s*\"([^\"]+)\"").matcher(token.body());
        assertThat(idToken.find()).as("the token response has an id_token").isTrue();
        return idToken.group(1);
    }

    private URI submitStandInLogin(URI authorize, String email) throws Exception {
        HttpResponse<String> submitted = http.send(HttpRequest.newBuilder(authorize)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString("username=" + enc(email))).build(), BodyHandlers.ofString());
        assertThat(submitted.statusCode()).isEqualTo(302);
        return URI.create(submitted.headers().firstValue("location").orElseThrow());
    }

    public HttpResponse<String> get(String pathAndQuery) throws Exception {
        return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET());
    }

    /** {@code GET} with only the given {@code Authorization} header: no cookie, as a CLI sends it. */
    public HttpResponse<String> getWithBearer(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10)).GET().build(), BodyHandlers.ofString());
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        if (!jar.isEmpty()) {
            StringBuilder cookie = new StringBuilder();
            jar.forEach((k, v) -> cookie.append(cookie.isEmpty() ? "" : "; ").append(k).append('=').append(v));
            request.header("Cookie", cookie.toString());
        }
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
        for (String setCookie : response.headers().allValues("set-cookie")) {
            String pair = setCookie.split(";", 2)[0];
            String name = pair.substring(0, pair.indexOf('='));
            if (setCookie.contains("Max-Age=0")) {
                jar.remove(name);
            } else {
                jar.put(name, pair.substring(pair.indexOf('=') + 1));
            }
        }
        return response;
    }

    /** {@code POST /logout} from the site's own page, with its CSRF token. */
    public HttpResponse<String> logout() throws Exception {
        return logout(base.toString().replaceAll("/$", ""));
    }

    /** As {@link #logout()}, from a page whose origin is {@code origin} (the site's PUBLIC_BASE_URL). */
    public HttpResponse<String> logout(String origin) throws Exception {
        String csrf = csrf(get("/").body());
        return send(HttpRequest.newBuilder(base.resolve("/logout"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", origin)
                .POST(BodyPublishers.ofString("csrf=" + enc(csrf))));
    }

    static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("page has a CSRF field").isTrue();
        return m.group(1);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
