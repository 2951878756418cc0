package app.signin.conformance.provider;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An OpenID Connect provider on loopback that does whatever a test tells it to, including everything a
 * real provider must never do. Endpoints: discovery, JWKS, token, revocation - each answers with a
 * programmable {@link Reply}, counts its requests, and the token endpoint records every request body so a
 * test can prove the code was sent once, with the PKCE verifier and the client secret.
 *
 * <p>By default it behaves: a correct discovery document, the published keys, and a token response for
 * whatever ID token the test hands it. Hanging replies are released when the provider is closed, so no
 * server thread outlives its test by more than that.
 */
public final class HostileProvider implements AutoCloseable {
    public static final String CLIENT_ID = "hostile-test-client.apps.googleusercontent.com";
    /** At least 32 bytes, so a test can key HS256 with it (the "client secret as HMAC key" attack). */
    public static final String CLIENT_SECRET = "hostile-provider-client-secret-0123456789abcdef";

    public static final String DISCOVERY = "/.well-known/openid-configuration";
    public static final String JWKS = "/jwks";
    public static final String TOKEN = "/token";
    public static final String REVOKE = "/revoke";
    public static final String USERINFO = "/userinfo";
    /** Where a token's {@code jku} / {@code x5u} header points in the key-injection cases: must never be fetched. */
    public static final String ATTACKER_KEYS = "/attacker/keys";
    /** The name of the threads that serve requests, so a test can tell their allocations from the product's. */
    public static final String THREAD_NAME = "hostile-provider";

    /** What an endpoint does with one request. */
    @FunctionalInterface
    public interface Reply {
        void answer(HttpExchange exchange, HostileProvider provider) throws IOException;

        static Reply json(int status, String json) {
            return bytes(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }

        static Reply html(int status, String html) {
            return bytes(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
        }

        static Reply bytes(int status, String contentType, byte[] body) {
            return (exchange, provider) -> {
                exchange.getResponseHeaders().set("Content-Type", contentType);
                exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
                exchange.close();
            };
        }

        /** Accepts the request and never answers (until the provider is closed). */
        static Reply hang() {
            return (exchange, provider) -> {
                provider.awaitRelease();
                exchange.close();
            };
        }

        /** Sends headers at once, then the body one byte per {@code interval}: never trips a read timeout. */
        static Reply drip(String contentType, String body, Duration interval) {
            return (exchange, provider) -> {
                exchange.getResponseHeaders().set("Content-Type", contentType);
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                for (byte b : body.getBytes(StandardCharsets.UTF_8)) {
                    out.write(b);
                    out.flush();
                    if (provider.released(interval)) {
                        break;
                    }
                }
                exchange.close();
            };
        }

        /** Reads the request, then drops the connection without a status line. */
        static Reply dropConnection() {
            return (exchange, provider) -> {
                // com.sun.net.httpserver closes the connection of an exchange whose handler throws.
                throw new IOException("dropping the connection on purpose");
            };
        }

        static Reply redirect(int status, String location) {
            return (exchange, provider) -> {
                exchange.getResponseHeaders().set("Location", location);
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            };
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final CountDownLatch release = new CountDownLatch(1);
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final List<Map<String, String>> tokenRequests = new CopyOnWriteArrayList<>();
    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private volatile JWKSet published = new JWKSet();

    public HostileProvider() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind a loopback port", e);
        }
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, THREAD_NAME);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        for (String path : List.of(DISCOVERY, JWKS, TOKEN, REVOKE, USERINFO, ATTACKER_KEYS)) {
            server.createContext(path, exchange -> handle(path, exchange));
        }
        behave();
        server.start();
    }

    /** The issuer URL, {@code http://127.0.0.1:<port>} (the product accepts http only on loopback). */
    public URI issuer() {
        return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":"
                + server.getAddress().getPort());
    }

    public URI url(String path) {
        return URI.create(issuer() + path);
    }

    /** Back to a well-behaved provider: correct discovery, the published keys, a 200 at revocation. */
    public void behave() {
        on(DISCOVERY, (exchange, provider) -> Reply.json(200, discoveryDocument()).answer(exchange, provider));
        on(JWKS, (exchange, provider) -> Reply.json(200, published.toString(true)).answer(exchange, provider));
        on(TOKEN, Reply.json(400, "{\"error\":\"invalid_request\",\"error_description\":\"no token programmed\"}"));
        on(REVOKE, Reply.json(200, "{}"));
        on(USERINFO, Reply.json(401, "{\"error\":\"invalid_token\"}"));
        on(ATTACKER_KEYS, (exchange, provider) -> Reply.json(200, published.toString(true)).answer(exchange, provider));
    }

    /** Programs one endpoint. */
    public HostileProvider on(String path, Reply reply) {
        replies.put(path, reply);
        return this;
    }

    /** The JWKS now serves exactly these keys (public parts only). */
    public HostileProvider publish(JWK... keys) {
        published = new JWKSet(Arrays.stream(keys).map(JWK::toPublicJWK).toList());
        return this;
    }

    /** The token endpoint answers with a well-formed token response carrying this ID token. */
    public HostileProvider issue(String idToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", "ya29.test-access-token");
        body.put("expires_in", 3599);
        body.put("scope", "openid email profile");
        body.put("token_type", "Bearer");
        body.put("id_token", idToken);
        return on(TOKEN, Reply.json(200, JSONObjectUtils.toJSONString(body)));
    }

    public String discoveryDocument() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer().toString());
        doc.put("authorization_endpoint", url("/authorize").toString());
        doc.put("token_endpoint", url(TOKEN).toString());
        doc.put("jwks_uri", url(JWKS).toString());
        doc.put("revocation_endpoint", url(REVOKE).toString());
        doc.put("userinfo_endpoint", url(USERINFO).toString());
        doc.put("response_types_supported", List.of("code"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        doc.put("code_challenge_methods_supported", List.of("S256"));
        return JSONObjectUtils.toJSONString(doc);
    }

    /** Requests received so far on a path. */
    public int requests(String path) {
        AtomicInteger n = counts.get(path);
        return n == null ? 0 : n.get();
    }

    /** Every token request's form, in order of arrival. */
    public List<Map<String, String>> tokenRequests() {
        return List.copyOf(tokenRequests);
    }

    private void handle(String path, HttpExchange exchange) throws IOException {
        byte[] body;
        try (var in = exchange.getRequestBody()) {
            body = in.readNBytes(64 * 1024);
        }
        counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        if (path.equals(TOKEN)) {
            tokenRequests.add(form(new String(body, StandardCharsets.UTF_8)));
        }
        replies.get(path).answer(exchange, this);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (form.putIfAbsent(k, v) != null) {
                duplicates.add(k);
            }
        }
        if (!duplicates.isEmpty()) {
            form.put("(duplicated)", String.join(",", duplicates));
        }
        return form;
    }

    private void awaitRelease() {
        released(Duration.ofSeconds(30));
    }

    /** Waits up to {@code d}; true once the provider is closing. */
    private boolean released(Duration d) {
        try {
            return release.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
