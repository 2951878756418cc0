package app.signin.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.util.JSONObjectUtils;

import okhttp3.mockwebserver.RecordedRequest;

/**
 * Plays the user at the test provider's login form: the user is chosen per authorization request rather
 * than from the provider's shared FIFO queue of next users, so many logins can run at once, each as a
 * different person. mock-oauth2-server binds a submitted login ({@code username}, {@code claims}) to the
 * code it issues, and the token exchange for that code then yields that user.
 */
public final class ProviderSignIn {
    private ProviderSignIn() {
    }

    /** Submits the login form for {@code sub} with these ID-token claims; returns the redirect back to the app. */
    public static URI authorizeAs(String authorizationUrl, String sub, Map<String, Object> claims) {
        String form = "username=" + enc(sub) + "&claims=" + enc(JSONObjectUtils.toJSONString(claims));
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(authorizationUrl).toURL().openConnection();
            c.setInstanceFollowRedirects(false);
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setConnectTimeout(2_000);
            c.setReadTimeout(5_000);
            c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
            try (OutputStream out = c.getOutputStream()) {
                out.write(form.getBytes(StandardCharsets.UTF_8));
            }
            int status = c.getResponseCode();
            String location = c.getHeaderField("Location");
            c.disconnect();
            if (status != 302 || location == null) {
                throw new IllegalStateException("provider login answered " + status + " without a redirect");
            }
            return URI.create(location);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A verified Google-like user. */
    public static Map<String, Object> user(String sub, String email) {
        return Map.of("email", email, "email_verified", true, "name", "Test " + sub);
    }

    /**
     * Drains the provider's request log once and counts requests by their last path segment
     * ({@code token}, {@code revoke}, {@code jwks} ...). Unlike {@link TestProvider#countRequests}, one drain
     * answers for every path.
     */
    public static Map<String, Integer> drainRequestCounts(TestProvider provider) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < 100_000; i++) {
            RecordedRequest r;
            try {
                r = provider.server().takeRequest(50, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                break; // the server throws when its request log is empty
            }
            if (r == null || r.getPath() == null) {
                break;
            }
            String path = r.getPath().split("\\?")[0];
            counts.merge(path.substring(path.lastIndexOf('/') + 1), 1, Integer::sum);
        }
        return counts;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
