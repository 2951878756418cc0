package app.signin.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fault-injecting HTTP proxy on loopback in front of the test DynamoDB API. Each request is read whole,
 * counted by its operation ({@code X-Amz-Target}), then passed through, delayed, dropped, or answered with
 * a DynamoDB error such as {@code ThrottlingException}, or applied upstream with its answer lost -
 * switchable while a test runs. {@link #stop()}
 * closes the port (connection refused) and {@link #start()} opens it again, so "DynamoDB is unreachable"
 * and "DynamoDB is back" happen under one unchanged client.
 *
 * <p>Every answer carries {@code Connection: close}: the client opens a connection per request, so a
 * switch of behaviour applies from the very next request and no pooled connection outlives a stop.
 */
public final class FaultProxy implements AutoCloseable {
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    private final URI upstream;
    private final int port;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requestIds = new AtomicInteger();
    private final AtomicReference<Rule> rule = new AtomicReference<>(Rule.PASS);
    private volatile ServerSocket listener;
    private Thread acceptor;

    private FaultProxy(URI upstream, int port) {
        this.upstream = upstream;
        this.port = port;
    }

    /** A proxy on a free loopback port forwarding to {@code upstream}, passing everything through. */
    public static FaultProxy start(URI upstream) {
        FaultProxy proxy = new FaultProxy(upstream, TestDynamoDb.freePort());
        proxy.start();
        return proxy;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Opens (or re-opens) the port; requests then meet the current behaviour. */
    public synchronized void start() {
        if (listener != null) {
            return;
        }
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            listener = socket;
            acceptor = Thread.ofPlatform().daemon().name("fault-proxy-" + port).start(() -> acceptLoop(socket));
        } catch (IOException e) {
            throw new IllegalStateException("fault proxy could not bind " + port, e);
        }
    }

    /** Closes the port and every connection in flight: from now on, connection refused. */
    public synchronized void stop() {
        ServerSocket socket = listener;
        listener = null;
        closeQuietly(socket);
        open.forEach(FaultProxy::closeQuietly);
        open.clear();
        if (acceptor != null) {
            // The kernel frees the port only once the accept() in progress has returned: wait for it, or
            // an immediate start() would find the port still taken.
            try {
                acceptor.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            acceptor = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Forwards every request unchanged. */
    public void passThrough() {
        rule.set(Rule.PASS);
    }

    /** Holds matching requests for {@code delay} before forwarding them (a slow table). */
    public void delay(Duration delay, String... operations) {
        rule.set(new Rule(Behaviour.DELAY, delay, 0, null, Set.of(operations)));
    }

    /** Reads matching requests, then closes the connection without an answer. */
    public void drop(String... operations) {
        rule.set(new Rule(Behaviour.DROP, Duration.ZERO, 0, null, Set.of(operations)));
    }

    /**
     * Forwards the next matching request, waits for DynamoDB's answer, then closes the connection without
     * passing it on - the write is applied, the client never learns it - and passes everything after it.
     * This is an attempt that timed out after DynamoDB had done the work, as it happens under load.
     */
    public void loseAnswerOnce(String... operations) {
        rule.set(new Rule(Behaviour.LOSE_ANSWER_ONCE, Duration.ZERO, 0, null, Set.of(operations)));
    }

    /** Answers matching requests with HTTP 400 {@code ThrottlingException}. */
    public void throttle(String... operations) {
        error(400, "ThrottlingException", operations);
    }

    /** Answers matching requests with HTTP 400 {@code ProvisionedThroughputExceededException}. */
    public void throughputExceeded(String... operations) {
        error(400, "ProvisionedThroughputExceededException", operations);
    }

    /** Answers matching requests with a DynamoDB JSON error of this type and status. */
    public void error(int status, String errorType, String... operations) {
        rule.set(new Rule(Behaviour.ERROR, Duration.ZERO, status, errorType, Set.of(operations)));
    }

    /** Requests received for a DynamoDB operation ({@code GetItem}, {@code UpdateItem} ...) since the last reset. */
    public int count(String operation) {
        AtomicInteger n = counts.get(operation);
        return n == null ? 0 : n.get();
    }

    /** All counts, by operation. */
    public Map<String, Integer> counts() {
        Map<String, Integer> copy = new TreeMap<>();
        counts.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    public void resetCounts() {
        counts.clear();
    }

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                open.add(client);
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                return; // closed by stop()
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setSoTimeout(30_000);
            InputStream in = new BufferedInputStream(client.getInputStream());
            String head = readHead(in);
            if (head == null) {
                return;
            }
            int length = contentLength(head);
            if (length < 0 || length > MAX_BODY_BYTES) {
                return;
            }
            byte[] body = in.readNBytes(length);
            String operation = operation(head);
            counts.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();

            Rule current = rule.get();
            Behaviour behaviour = current.appliesTo(operation) ? current.behaviour() : Behaviour.PASS;
            if (behaviour == Behaviour.LOSE_ANSWER_ONCE && !rule.compareAndSet(current, Rule.PASS)) {
                behaviour = Behaviour.PASS; // another request took the one lost answer
            }
            OutputStream out = client.getOutputStream();
            switch (behaviour) {
                case DROP -> {
                    // no answer: the connection just ends
                }
                case ERROR -> out.write(errorResponse(current.status(), current.errorType()));
                case DELAY -> {
                    Thread.sleep(current.delay());
                    forward(head, body, out);
                }
                case LOSE_ANSWER_ONCE -> forward(head, body, OutputStream.nullOutputStream());
                case PASS -> forward(head, body, out);
            }
            out.flush();
        } catch (IOException e) {
            // the client gave up or the proxy was stopped: nothing to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(client);
        }
    }

    private void forward(String head, byte[] body, OutputStream out) throws IOException {
        try (Socket up = new Socket(upstream.getHost(), upstream.getPort())) {
            up.setSoTimeout(30_000);
            OutputStream upOut = up.getOutputStream();
            upOut.write(withConnectionClose(head).getBytes(StandardCharsets.ISO_8859_1));
            upOut.write(body);
            upOut.flush();
            InputStream upIn = new BufferedInputStream(up.getInputStream());
            String responseHead = readHead(upIn);
            if (responseHead == null) {
                return;
            }
            out.write(withConnectionClose(responseHead).getBytes(StandardCharsets.ISO_8859_1));
            upIn.transferTo(out); // the upstream closes after this one response (Connection: close)
        }
    }

    private byte[] errorResponse(int status, String errorType) {
        byte[] body = ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + errorType + "\","
                + "\"message\":\"injected by FaultProxy\"}").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " Injected\r\n"
                + "Content-Type: application/x-amz-json-1.0\r\n"
                + "x-amzn-RequestId: fault-proxy-" + requestIds.incrementAndGet() + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    /** The bytes up to and including the blank line, or null if the stream ends first. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int last4 = 0; // the last four bytes read, to spot CR LF CR LF
        while (head.size() < MAX_HEAD_BYTES) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            last4 = (last4 << 8) | b;
            if (last4 == 0x0d0a0d0a) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static int contentLength(String head) {
        String value = header(head, "content-length");
        if (value == null) {
            return header(head, "transfer-encoding") == null ? 0 : -1; // chunked requests are not expected
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String operation(String head) {
        String target = header(head, "x-amz-target");
        if (target == null) {
            return "(none)";
        }
        int dot = target.lastIndexOf('.');
        return dot < 0 ? target.strip() : target.substring(dot + 1).strip();
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    /** The head with any {@code Connection}/{@code Keep-Alive} header replaced by {@code Connection: close}. */
    private static String withConnectionClose(String head) {
        StringBuilder out = new StringBuilder(head.length() + 24);
        for (String line : head.split("\r\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("connection:") || lower.startsWith("keep-alive:")) {
                continue;
            }
            out.append(line).append("\r\n");
        }
        return out.append("Connection: close\r\n\r\n").toString();
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private enum Behaviour { PASS, DELAY, DROP, LOSE_ANSWER_ONCE, ERROR }

    /** The behaviour for requests whose operation is in {@code operations}; an empty set means every request. */
    private record Rule(Behaviour behaviour, Duration delay, int status, String errorType, Set<String> operations) {
        static final Rule PASS = new Rule(Behaviour.PASS, Duration.ZERO, 0, null, Set.of());

        boolean appliesTo(String operation) {
            return operations.isEmpty() || operations.contains(operation);
        }
    }
}
