package app.signin.bench.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A small OpenID Connect provider on loopback for the benchmarks: discovery, JWKS, token and revocation
 * endpoints served by the JDK's HTTP server, ID tokens minted and RS256-signed with Nimbus.
 *
 * <p>Unlike the tests' mock-oauth2-server it starts in milliseconds and has no authorization endpoint that
 * needs driving: a benchmark registers {@code code -> nonce} with {@link #expect} and the token endpoint
 * answers that code with an ID token carrying that nonce, as Google would after the user signed in. Every
 * request is counted per path, so a benchmark can say which round trips a handler made.
 */
public final class LoopbackProvider implements AutoCloseable {
    public static final String CLIENT_ID = "bench-client.apps.googleusercontent.com";
    public static final String CLIENT_SECRET = "bench-client-secret";

    private final HttpServer server;
    private final URI issuer;
    private final RSAKey key;
    private final Map<String, String> nonceByCode = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    public LoopbackProvider() {
        try {
            key = new RSAKeyGenerator(2048).keyID("bench-key-1").generate();
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (JOSEException | IOException e) {
            throw new IllegalStateException(e);
        }
        issuer = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "loopback-provider");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public URI issuer() {
        return issuer;
    }

    public RSAKey signingKey() {
        return key;
    }

    /** The next token request with {@code code} gets an ID token for {@code nonce}. */
    public void expect(String code, String nonce) {
        nonceByCode.put(code, nonce);
    }

    /** Requests received so far on {@code path}. */
    public int requests(String path) {
        AtomicInteger n = requests.get(path);
        return n == null ? 0 : n.get();
    }

    public void resetCounts() {
        requests.clear();
    }

    /** The discovery document this provider serves (also used as a recorded response). */
    public String discoveryJson() {
        return discoveryJson(issuer.toString());
    }

    public static String discoveryJson(String issuer) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer);
        doc.put("authorization_endpoint", issuer + "/authorize");
        doc.put("token_endpoint", issuer + "/token");
        doc.put("jwks_uri", issuer + "/jwks");
        doc.put("revocation_endpoint", issuer + "/revoke");
        doc.put("userinfo_endpoint", issuer + "/userinfo");
        doc.put("response_types_supported", List.of("code"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        return JSONObjectUtils.toJSONString(doc);
    }

    public String jwksJson() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    /** A token response as Google's token endpoint gives it, with an ID token for this nonce. */
    public String tokenResponseJson(String nonce) {
        return tokenResponseJson(key, issuer.toString(), nonce);
    }

    public static String tokenResponseJson(RSAKey key, String issuer, String nonce) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", "ya29.bench-access-token-" + nonce.substring(0, 8));
        body.put("expires_in", 3599);
        body.put("refresh_token", "1//bench-refresh-token-" + nonce.substring(0, 8));
        body.put("scope", "openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile");
        body.put("token_type", "Bearer");
        body.put("id_token", idToken(key, issuer, nonce));
        return JSONObjectUtils.toJSONString(body);
    }

    /**
     * An ID token as a mobile app or a CLI holds one and sends as {@code Authorization: Bearer}: no nonce
     * (none was asked for), valid for an hour from now.
     */
    public String bearerIdToken() {
        return idToken(key, issuer.toString(), null);
    }

    /** An RS256 ID token shaped like Google's, for {@link #CLIENT_ID}; {@code nonce} null for none. */
    public static String idToken(RSAKey key, String issuer, String nonce) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
        if (nonce != null) {
            builder.claim("nonce", nonce);
        }
        JWTClaimsSet claims = builder
                .issuer(issuer)
                .audience(CLIENT_ID)
                .claim("azp", CLIENT_ID)
                .subject("108204268033311374519")
                .claim("email", "alice@example.com")
                .claim("email_verified", true)
                .claim("at_hash", "HK6E_P6Dh8Y93mRNtsDB1Q")
                .claim("name", "Alice Example")
                .claim("picture", "https://lh3.googleusercontent.com/a/ACg8ocJ-bench=s96-c")
                .claim("given_name", "Alice")
                .claim("family_name", "Example")
                .issueTime(java.util.Date.from(now))
                .expirationTime(java.util.Date.from(now.plusSeconds(3600)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(com.nimbusds.jose.JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        try (exchange) {
            switch (path) {
                case "/.well-known/openid-configuration" -> send(exchange, 200, discoveryJson());
                case "/jwks" -> send(exchange, 200, jwksJson());
                case "/token" -> token(exchange);
                case "/revoke" -> send(exchange, 200, "");
                case "/userinfo" -> userinfo(exchange);
                default -> send(exchange, 404, "{\"error\":\"not_found\"}");
            }
        }
    }

    /**
     * Google's userinfo, to a bearer access token this provider issued: {@code ya29.bench-<sub>} names its
     * user, because the fixtures give every session a user of its own and the function checks that the
     * answer's {@code sub} is the session's.
     */
    private static void userinfo(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String prefix = "Bearer ya29.bench-";
        if (authorization == null || !authorization.startsWith(prefix)
                || !authorization.substring(prefix.length()).matches("[0-9]{1,30}")) {
            send(exchange, 401, "{\"error\":\"invalid_token\"}");
            return;
        }
        send(exchange, 200, "{\"sub\":\"" + authorization.substring(prefix.length()) + "\",\"name\":\"Alice Example\",\"given_name\":\"Alice\","
                + "\"family_name\":\"Example\",\"picture\":\"https://lh3.googleusercontent.com/a/ACg8ocJ-bench=s96-c\","
                + "\"email\":\"alice@example.com\",\"email_verified\":true}");
    }

    /** A refresh as Google answers it: a new access token, no new refresh token. */
    private static void refresh(HttpExchange exchange, Map<String, String> form) throws IOException {
        String refreshToken = form.get("refresh_token");
        if (refreshToken == null || !refreshToken.startsWith("1//bench-") || !CLIENT_SECRET.equals(form.get("client_secret"))) {
            send(exchange, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        // 1//bench-<sub> -> ya29.bench-<sub>: the new access token names the same user (see userinfo).
        send(exchange, 200, "{\"access_token\":\"ya29.bench-" + refreshToken.substring("1//bench-".length())
                + "\",\"expires_in\":3599,"
                + "\"scope\":\"openid https://www.googleapis.com/auth/userinfo.email\",\"token_type\":\"Bearer\"}");
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(exchange.getRequestBody());
        if ("refresh_token".equals(form.get("grant_type"))) {
            refresh(exchange, form);
            return;
        }
        String nonce = nonceByCode.remove(String.valueOf(form.get("code")));
        if (nonce == null || !CLIENT_SECRET.equals(form.get("client_secret"))
                || !"authorization_code".equals(form.get("grant_type")) || form.get("code_verifier") == null) {
            send(exchange, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        send(exchange, 200, tokenResponseJson(nonce));
    }

    private static Map<String, String> form(InputStream in) throws IOException {
        String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
