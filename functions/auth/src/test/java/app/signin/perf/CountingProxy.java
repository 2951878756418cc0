package app.signin.perf;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A loopback HTTP proxy in front of the test DynamoDB API that counts every request it forwards by its
 * {@code X-Amz-Target} operation ({@code GetItem}, {@code PutItem}, ...). Because it sits on the wire, it
 * counts what the SDK really sends, retries included - a counting wrapper around the store would not.
 */
final class CountingProxy implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length",
            "transfer-encoding", "keep-alive", "expect");

    private final URI target;
    private final HttpServer server;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    CountingProxy(URI target) throws IOException {
        this.target = target;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::forward);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "counting-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Requests per operation since the last call, and resets the counts. */
    Map<String, Integer> take() {
        Map<String, Integer> snapshot = new TreeMap<>();
        counts.forEach((op, n) -> {
            int v = n.getAndSet(0);
            if (v > 0) {
                snapshot.put(op, v);
            }
        });
        return snapshot;
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String op = amzTarget == null ? exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
                    : amzTarget.substring(amzTarget.indexOf('.') + 1);
            counts.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpURLConnection c = (HttpURLConnection) target.resolve(exchange.getRequestURI().toString())
                    .toURL().openConnection();
            c.setRequestMethod(exchange.getRequestMethod());
            c.setConnectTimeout(2_000);
            c.setReadTimeout(5_000);
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> c.addRequestProperty(name, v));
                }
            });
            if (body.length > 0) {
                c.setDoOutput(true);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            byte[] response = in == null ? new byte[0] : in.readAllBytes();
            for (Map.Entry<String, List<String>> h : c.getHeaderFields().entrySet()) {
                if (h.getKey() != null && !HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                    exchange.getResponseHeaders().put(h.getKey(), h.getValue());
                }
            }
            exchange.sendResponseHeaders(status, response.length == 0 ? -1 : response.length);
            if (response.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
