package app.signin.oidc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.nimbusds.jose.util.JSONObjectUtils;

import app.signin.error.Failure;
import app.signin.error.SignInException;

/**
 * Talks to the provider's token and revocation endpoints with a plain {@link HttpURLConnection}.
 *
 * <p>An authorization code is single-use, so the exchange is sent exactly once: the JDK's silent POST
 * retry is switched off ({@code sun.net.http.retryPost=false}, set before any connection is opened) and
 * nothing here retries. A slow provider costs at most the connect plus read timeouts, both well inside
 * the function's own timeout.
 */
public final class TokenClient {
    /** Token responses are small; a larger body is refused unread (hostile-provider protection). */
    static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private final String clientId;
    private final java.util.function.Supplier<String> clientSecret;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final int revokeTimeoutMillis;

    public TokenClient(String clientId, java.util.function.Supplier<String> clientSecret, int connectTimeoutMillis, int readTimeoutMillis,
            int revokeTimeoutMillis) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.readTimeoutMillis = readTimeoutMillis;
        this.revokeTimeoutMillis = revokeTimeoutMillis;
    }

    /** Exchanges an authorization code (RFC 6749 4.1.3 with the PKCE verifier of RFC 7636 4.5). */
    public ProviderTokens exchange(URI tokenEndpoint, String code, String codeVerifier, String redirectUri) {
        String secret;
        try {
            secret = clientSecret.get();
        } catch (RuntimeException e) {
            throw new SignInException(Failure.PROVIDER_UNAVAILABLE,
                    "client secret unavailable: " + e.getClass().getSimpleName(), e);
        }
        String form = "grant_type=authorization_code"
                + "&code=" + enc(code)
                + "&redirect_uri=" + enc(redirectUri)
                + "&code_verifier=" + enc(codeVerifier)
                + "&client_id=" + enc(clientId)
                + "&client_secret=" + enc(secret);
        Response response;
        try {
            response = post(tokenEndpoint, form, connectTimeoutMillis, readTimeoutMillis);
        } catch (SocketTimeoutException e) {
            throw new SignInException(Failure.PROVIDER_TIMEOUT, "token endpoint timed out", e);
        } catch (IOException e) {
            throw new SignInException(Failure.PROVIDER_UNAVAILABLE,
                    "token endpoint unreachable: " + e.getClass().getSimpleName(), e);
        }
        Map<String, Object> json = parseJson(response);
        if (response.status() != 200) {
            Object error = json == null ? null : json.get("error");
            if (response.status() == 400 && "invalid_grant".equals(error)) {
                throw new SignInException(Failure.CODE_REJECTED, "token endpoint said invalid_grant");
            }
            throw new SignInException(Failure.TOKEN_EXCHANGE_FAILED, "token endpoint answered " + response.status()
                    + (error instanceof String s ? " " + sanitize(s) : ""));
        }
        if (json == null) {
            throw new SignInException(Failure.TOKEN_EXCHANGE_FAILED, "token response is not JSON");
        }
        Object idToken = json.get("id_token");
        Object accessToken = json.get("access_token");
        Object tokenType = json.get("token_type");
        if (!(idToken instanceof String id) || id.isEmpty()) {
            throw new SignInException(Failure.TOKEN_EXCHANGE_FAILED, "token response has no id_token");
        }
        if (!(accessToken instanceof String access) || access.isEmpty()
                || !(tokenType instanceof String type) || !type.equalsIgnoreCase("Bearer")) {
            throw new SignInException(Failure.TOKEN_EXCHANGE_FAILED, "token response has no bearer access_token");
        }
        Object refresh = json.get("refresh_token");
        return new ProviderTokens(id, access, refresh instanceof String r ? r : null);
    }

    /** Revokes a token (RFC 7009), best effort: failures are reported, never thrown. */
    public boolean revoke(URI revocationEndpoint, String token) {
        if (revocationEndpoint == null || token == null || token.isEmpty()) {
            return false;
        }
        try {
            // Google's revocation endpoint needs no client authentication (and a client secret that
            // cannot be read must not stop a logout), so only the token is sent.
            Response r = post(revocationEndpoint, "token=" + enc(token), revokeTimeoutMillis, revokeTimeoutMillis);
            return r.status() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static Response post(URI endpoint, String form, int connectTimeout, int readTimeout) throws IOException {
        HttpURLConnection conn = (HttpURLConnection) endpoint.toURL().openConnection();
        try {
            conn.setRequestMethod("POST");
            conn.setConnectTimeout(connectTimeout);
            conn.setReadTimeout(readTimeout);
            conn.setInstanceFollowRedirects(false);
            conn.setUseCaches(false);
            conn.setDoOutput(true);
            conn.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
            conn.setRequestProperty("Accept", "application/json");
            byte[] body = form.getBytes(StandardCharsets.UTF_8);
            conn.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = conn.getOutputStream()) {
                out.write(body);
            }
            int status = conn.getResponseCode();
            String contentType = conn.getContentType();
            InputStream in = status >= 400 ? conn.getErrorStream() : conn.getInputStream();
            byte[] bytes = in == null ? new byte[0] : readLimited(in);
            return new Response(status, contentType, bytes);
        } finally {
            conn.disconnect();
        }
    }

    private static byte[] readLimited(InputStream in) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) != -1) {
                if (out.size() + n > MAX_RESPONSE_BYTES) {
                    throw new IOException("token response larger than " + MAX_RESPONSE_BYTES + " bytes");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static Map<String, Object> parseJson(Response response) {
        String type = response.contentType() == null ? "" : response.contentType().toLowerCase(java.util.Locale.ROOT);
        if (!type.startsWith("application/json")) {
            return null;
        }
        try {
            return JSONObjectUtils.parse(new String(response.body(), StandardCharsets.UTF_8));
        } catch (java.text.ParseException e) {
            return null;
        }
    }

    /** Provider-supplied text for the log: short, printable ASCII only. */
    private static String sanitize(String s) {
        String cleaned = s.replaceAll("[^A-Za-z0-9_.-]", "?");
        return cleaned.length() > 40 ? cleaned.substring(0, 40) : cleaned;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private record Response(int status, String contentType, byte[] body) {
    }
}
