package app.signin.bench.cold;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.function.LongFunction;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for the Lambda Runtime API on loopback: hands the events of one child, one per
 * {@code GET .../invocation/next}, to the runtime interface client, and when the function posts each
 * response, takes the measurements <em>before</em> acknowledging it - the child is blocked in that POST, so
 * the figures are exactly "through the response". The {@code /next} after the last event is never answered:
 * the container is, in Lambda terms, frozen, and the launcher then ends the process.
 */
public final class RuntimeApi implements AutoCloseable {
    /**
     * What a child posted, and the measurements taken at that moment. Under SnapStart emulation also the
     * moment the runtime asked to be restored (init and priming done: where Lambda takes the snapshot).
     */
    public record Outcome(boolean error, String body, long wallNanos, ProcStats stats, Object extra,
            long checkpointWallNanos, ProcStats checkpointStats, long restoredNanos, List<String> bodies,
            List<Long> cpuNanosAt, List<Long> wallNanosAt) {
    }

    private final HttpServer server;
    private final List<HttpExchange> parked = new ArrayList<>();
    private volatile Invocation current;

    private static final class Invocation {
        final List<byte[]> events;
        int next;
        final List<String> bodies = new ArrayList<>();
        /** Process CPU and wall (from the restore, or the start) at each response. */
        final List<Long> cpuNanosAt = new ArrayList<>();
        final List<Long> wallNanosAt = new ArrayList<>();
        volatile Outcome first;
        final long startNanos;
        final LongFunction<Object> atResponse;
        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        volatile long pid;
        volatile long checkpointWallNanos;
        volatile ProcStats checkpointStats;
        volatile long restoredNanos;

        Invocation(List<byte[]> events, long startNanos, LongFunction<Object> atResponse) {
            this.events = events;
            this.startNanos = startNanos;
            this.atResponse = atResponse;
        }
    }

    public RuntimeApi() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/2018-06-01/runtime/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "runtime-api");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** {@code host:port}, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Arms the API for one child: the event it will receive, the time its process was started, and work to
     * do while the child waits on its response POST (e.g. count its loaded classes).
     */
    public CompletableFuture<Outcome> expect(List<byte[]> events, long startNanos, LongFunction<Object> atResponse) {
        Invocation invocation = new Invocation(events, startNanos, atResponse);
        current = invocation;
        return invocation.outcome;
    }

    public void started(long pid) {
        current.pid = pid;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        Invocation invocation = current;
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (method.equals("GET") && path.endsWith("/restore/next") && invocation != null) {
            // SnapStart: init and beforeCheckpoint hooks are done; Lambda would snapshot here. Measure, then
            // "restore" at once. (The microVM restore itself - memory paged in from the snapshot - is not
            // emulated: what follows is the JVM's side of the first request after a restore.)
            invocation.checkpointWallNanos = now - invocation.startNanos;
            invocation.checkpointStats = invocation.pid > 0 ? ProcStats.of(invocation.pid) : null;
            invocation.restoredNanos = System.nanoTime();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
            return;
        }
        if (method.equals("GET") && path.endsWith("/invocation/next")) {
            byte[] event;
            synchronized (this) {
                event = invocation == null || invocation.next >= invocation.events.size() ? null
                        : invocation.events.get(invocation.next++);
            }
            if (event == null) {
                synchronized (parked) {
                    parked.add(exchange); // frozen: never answered
                }
                return;
            }
            var h = exchange.getResponseHeaders();
            h.set("Content-Type", "application/json");
            h.set("Lambda-Runtime-Aws-Request-Id", "8476a536-e9f4-11e8-9739-2dfe598c3fcd");
            h.set("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 10_000));
            h.set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-1:123456789012:function:bench:live");
            h.set("Lambda-Runtime-Trace-Id", "Root=1-6926c4db-5f0c3a8e2b7d41e6a9c0f317;Sampled=0");
            exchange.sendResponseHeaders(200, event.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(event);
            }
            return;
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (method.equals("POST") && invocation != null && !invocation.outcome.isDone()) {
            boolean error = path.endsWith("/error");
            ProcStats stats = invocation.pid > 0 ? ProcStats.of(invocation.pid) : null;
            String text = new String(body, StandardCharsets.UTF_8);
            long from = invocation.restoredNanos == 0 ? invocation.startNanos : invocation.restoredNanos;
            invocation.bodies.add(text);
            invocation.cpuNanosAt.add(stats == null ? 0 : stats.cpuNanos());
            invocation.wallNanosAt.add(now - from);
            if (invocation.first == null) {
                Object extra = invocation.atResponse == null ? null : invocation.atResponse.apply(invocation.pid);
                invocation.first = new Outcome(error, text, now - invocation.startNanos, stats, extra,
                        invocation.checkpointWallNanos, invocation.checkpointStats,
                        invocation.restoredNanos == 0 ? 0 : now - invocation.restoredNanos, null, null, null);
            }
            if (error || invocation.bodies.size() == invocation.events.size()) {
                Outcome f = invocation.first;
                invocation.outcome.complete(new Outcome(error || f.error(), f.body(), f.wallNanos(), f.stats(), f.extra(),
                        f.checkpointWallNanos(), f.checkpointStats(), f.restoredNanos(), List.copyOf(invocation.bodies),
                        List.copyOf(invocation.cpuNanosAt), List.copyOf(invocation.wallNanosAt)));
            }
        }
        exchange.sendResponseHeaders(202, -1);
        exchange.close();
    }

    /** Drops the parked {@code /next} calls of children that have been ended. */
    public void releaseParked() {
        synchronized (parked) {
            parked.forEach(HttpExchange::close);
            parked.clear();
        }
    }

    @Override
    public void close() {
        releaseParked();
        server.stop(0);
    }
}
