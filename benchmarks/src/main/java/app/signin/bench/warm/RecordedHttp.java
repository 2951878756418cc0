package app.signin.bench.warm;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The provider's side of the network, answered from recorded responses inside this JVM: every
 * {@code http://} URL opened here gets an {@link HttpURLConnection} that serves the body recorded for its
 * path. The application code is unchanged - {@code TokenClient} and Nimbus' resource retriever open their
 * connections as always - but no socket is involved, so a warm benchmark measures our code, not the
 * loopback stack.
 */
public final class RecordedHttp {
    /** A recorded answer. */
    public record Response(int status, String contentType, String body) {
    }

    private static final Map<String, Response> RESPONSES = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> COUNTS = new ConcurrentHashMap<>();
    private static volatile boolean installed;

    private RecordedHttp() {
    }

    /** Routes {@code http:} through the recordings; once per JVM, before any http URL is used. */
    public static synchronized void install() {
        if (!installed) {
            URL.setURLStreamHandlerFactory(protocol -> "http".equals(protocol) ? new Handler() : null);
            installed = true;
        }
    }

    public static void record(String path, Response response) {
        RESPONSES.put(path, response);
    }

    public static int requests(String path) {
        AtomicInteger n = COUNTS.get(path);
        return n == null ? 0 : n.get();
    }

    private static final class Handler extends URLStreamHandler {
        @Override
        protected URLConnection openConnection(URL url) {
            return new Connection(url);
        }

        @Override
        protected URLConnection openConnection(URL url, java.net.Proxy proxy) {
            return new Connection(url);
        }
    }

    private static final class Connection extends HttpURLConnection {
        private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        private Response response;

        Connection(URL url) {
            super(url);
        }

        @Override
        public void connect() {
            if (response == null) {
                String path = url.getPath();
                COUNTS.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                response = RESPONSES.getOrDefault(path, new Response(404, "application/json", "{\"error\":\"not_found\"}"));
                connected = true;
            }
        }

        @Override
        public OutputStream getOutputStream() {
            return sent;
        }

        @Override
        public int getResponseCode() {
            connect();
            return response.status();
        }

        @Override
        public String getResponseMessage() {
            return getResponseCode() < 400 ? "OK" : "Error";
        }

        @Override
        public InputStream getInputStream() throws IOException {
            connect();
            if (response.status() >= 400) {
                throw new IOException("HTTP " + response.status());
            }
            return body();
        }

        @Override
        public InputStream getErrorStream() {
            connect();
            return response.status() >= 400 ? body() : null;
        }

        @Override
        public String getContentType() {
            connect();
            return response.contentType();
        }

        @Override
        public String getHeaderField(String name) {
            connect();
            if ("content-type".equalsIgnoreCase(name)) {
                return response.contentType();
            }
            if ("content-length".equalsIgnoreCase(name)) {
                return Integer.toString(response.body().getBytes(StandardCharsets.UTF_8).length);
            }
            return null;
        }

        @Override
        public Map<String, List<String>> getHeaderFields() {
            connect();
            return Map.of("Content-Type", List.of(response.contentType()));
        }

        @Override
        public void disconnect() {
            // nothing to close
        }

        @Override
        public boolean usingProxy() {
            return false;
        }

        private InputStream body() {
            return new ByteArrayInputStream(response.body().getBytes(StandardCharsets.UTF_8));
        }
    }
}
