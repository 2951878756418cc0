package app.signin.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * A real OpenID Connect provider in this JVM (mock-oauth2-server): discovery, JWKS, authorization and
 * token endpoints over loopback HTTP. Stands in for Google in the integration tests.
 */
public final class TestProvider implements AutoCloseable {
    public static final String ISSUER_ID = "google";
    public static final String CLIENT_ID = "test-client.apps.googleusercontent.com";
    public static final String CLIENT_SECRET = "test-client-secret";

    private static final java.util.concurrent.atomic.AtomicBoolean WARMED = new java.util.concurrent.atomic.AtomicBoolean();

    /** A canned answer for the next code exchange, if a test set one ({@link #answerNextExchangeWithoutRefreshToken}). */
    private final java.util.concurrent.atomic.AtomicReference<String> nextExchange =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final MockOAuth2Server server = new MockOAuth2Server(new OAuth2Config(), new CannedExchange(nextExchange));
    private final AtomicBoolean closed = new AtomicBoolean();

    public TestProvider() {
        warmUpOncePerJvm();
        server.start();
        warmUp();
    }

    /**
     * One discovery request before any test's, without a deadline: the embedded server's first answer
     * (its HTTP stack loading and compiling) can take seconds on a loaded machine, and it would otherwise
     * land inside the application's 4 s provider-call budget and fail a login with a 503 that says nothing
     * about the code under test (seen at load average 20-25 on two cores).
     */
    private void warmUp() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(issuer() + "/.well-known/openid-configuration").toURL()
                    .openConnection();
            c.setConnectTimeout(30_000);
            c.setReadTimeout(30_000);
            try (var in = c.getInputStream()) {
                in.readAllBytes();
            }
            c.disconnect();
        } catch (IOException e) {
            throw new IllegalStateException("the test provider does not answer", e);
        }
        countRequests(""); // drain the request log: tests count the application's requests only
    }

    /**
     * A fresh provider's very first answer includes loading its JSON mapper, which on a busy machine takes
     * longer than the application's production call budget (4 s) - and the application then rightly
     * answers 503. One throwaway provider answers its discovery request once per JVM, before any test's,
     * so a test's provider starts warm and its request log holds only the test's own requests.
     */
    private static void warmUpOncePerJvm() {
        if (!WARMED.compareAndSet(false, true)) {
            return;
        }
        MockOAuth2Server warm = new MockOAuth2Server();
        warm.start();
        try {
            HttpURLConnection c = (HttpURLConnection) warm.wellKnownUrl(ISSUER_ID).url().openConnection();
            c.getResponseCode();
            c.getInputStream().readAllBytes();
            c.disconnect();
        } catch (IOException e) {
            // Only a warm-up: the test's own provider reports real problems.
        } finally {
            warm.shutdown();
        }
    }

    public URI issuer() {
        return URI.create(server.issuerUrl(ISSUER_ID).toString().replaceAll("/$", ""));
    }

    public MockOAuth2Server server() {
        return server;
    }

    /** The next token issued will be for this user, with a verified e-mail address. */
    public void nextUser(String sub, String email) {
        nextUser(sub, Map.of("email", email, "email_verified", true, "name", "Test " + sub,
                "picture", "https://lh3.googleusercontent.com/a/test"));
    }

    public void nextUser(String sub, Map<String, Object> claims) {
        server.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, sub, "JWT", List.of(CLIENT_ID), claims, 3600));
    }

    /**
     * Makes the provider's next answer the one Google gives a user who consented before and was not asked
     * again ({@code prompt=consent} left out): an ID token for {@code sub} with the login's nonce and an
     * access token, but no refresh token. mock-oauth2-server itself sends one on every exchange, so call this
     * after the provider's login form and right before the callback, whose code exchange then gets this answer.
     */
    public void answerNextExchangeWithoutRefreshToken(String authorizationUrl, String sub, Map<String, Object> claims) {
        String nonce = null;
        for (String pair : URI.create(authorizationUrl).getRawQuery().split("&")) {
            if (pair.startsWith("nonce=")) {
                nonce = java.net.URLDecoder.decode(pair.substring(6), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        Map<String, Object> withNonce = new java.util.HashMap<>(claims);
        withNonce.put("nonce", java.util.Objects.requireNonNull(nonce, "no nonce in the authorization URL"));
        String idToken = server.issueToken(ISSUER_ID, CLIENT_ID,
                new DefaultOAuth2TokenCallback(ISSUER_ID, sub, "JWT", List.of(CLIENT_ID), withNonce, 3600)).serialize();
        String accessToken = server.issueToken(ISSUER_ID, CLIENT_ID,
                new DefaultOAuth2TokenCallback(ISSUER_ID, sub, "JWT", List.of(CLIENT_ID), claims, 3600)).serialize();
        nextExchange.set(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(Map.of("token_type", "Bearer",
                "id_token", idToken, "access_token", accessToken, "expires_in", 3600, "scope", "openid email profile")));
    }

    /** Answers one authorization-code exchange with the canned body, if there is one; the provider does the rest. */
    private record CannedExchange(java.util.concurrent.atomic.AtomicReference<String> next) implements Route {
        @Override
        public boolean match(OAuth2HttpRequest request) {
            return next.get() != null && "POST".equals(request.getMethod())
                    && request.getUrl().encodedPath().endsWith("/token")
                    && request.getBody() != null && request.getBody().contains("grant_type=authorization_code");
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
            return new OAuth2HttpResponse(okhttp3.Headers.of("Content-Type", "application/json"), 200,
                    next.getAndSet(null), null);
        }
    }

    /**
     * Plays the user's browser at the provider: GET the authorization URL and return the redirect back to
     * the application (the provider logs the user in without a page in this mode).
     */
    public URI authorize(String authorizationUrl) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(authorizationUrl).toURL().openConnection();
            c.setInstanceFollowRedirects(false);
            int status = c.getResponseCode();
            String location = c.getHeaderField("Location");
            c.disconnect();
            if (status != 302 || location == null) {
                throw new IllegalStateException("provider answered " + status + " without a redirect");
            }
            return URI.create(location);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Number of requests the provider has received to the given path suffix so far (drains the log). */
    public int countRequests(String pathSuffix) {
        int n = 0;
        while (true) {
            okhttp3.mockwebserver.RecordedRequest r;
            try {
                r = server.takeRequest(50, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                return n; // the server throws when its request log is empty
            }
            if (r == null) {
                return n;
            }
            if (r.getPath() != null && r.getPath().split("\\?")[0].endsWith(pathSuffix)) {
                n++;
            }
        }
    }

    /** Stops the provider; a test may stop it early (a provider that went away), so twice is fine. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.shutdown();
        }
    }
}
