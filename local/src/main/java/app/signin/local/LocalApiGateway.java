package app.signin.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import app.signin.local.ApiTemplate.LambdaFunction;
import app.signin.local.ApiTemplate.Route;
import app.signin.local.HttpApiEvents.Incoming;
import app.signin.local.HttpApiEvents.Outgoing;

/**
 * API Gateway's HTTP API in miniature, on the JDK's HTTP server: matches the template's routes, turns each
 * request into a payload 2.0 event, invokes the route's function and turns its response back into HTTP.
 *
 * <p>Requests run on virtual threads and may reach one handler concurrently, where Lambda would run one
 * request per container at a time; the handlers keep no per-request state, so that difference does not show.
 */
final class LocalApiGateway implements AutoCloseable {
    /** API Gateway's own payload limit; Lambda's is lower still. */
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    /** A function as the gateway invokes it: its template entry and its one handler instance. */
    record Function(LambdaFunction definition, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Route> routesByKey = new LinkedHashMap<>();
    private final Map<String, Function> functions;
    private final Clock clock;
    private final PrintStream log;

    /**
     * Binds the port right away (so the caller knows it before the functions are built) but serves nothing
     * until {@link #start}.
     */
    LocalApiGateway(InetSocketAddress address, PrintStream log, Clock clock) throws IOException {
        this.server = HttpServer.create(address, 64);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        this.functions = new LinkedHashMap<>();
        this.clock = clock;
        this.log = log;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Serves {@code routes}, each invoking the function of that logical id in {@code functions}. */
    void start(List<Route> routes, Map<String, Function> functions) {
        for (Route route : routes) {
            if (!functions.containsKey(route.functionId())) {
                throw new IllegalArgumentException("route " + route.routeKey() + " names unknown function " + route.functionId());
            }
            routesByKey.put(route.routeKey(), route);
        }
        this.functions.putAll(functions);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** API Gateway's preference: the exact method, then {@code ANY}, then the {@code $default} route. */
    Optional<Route> match(String method, String path) {
        Route route = routesByKey.get(method + " " + path);
        if (route == null) {
            route = routesByKey.get("ANY " + path);
        }
        if (route == null) {
            route = routesByKey.get(Route.DEFAULT);
        }
        return Optional.ofNullable(route);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String rawPath = exchange.getRequestURI().getRawPath();
            String requestId = UUID.randomUUID().toString();
            Instant start = clock.instant();
            Outgoing outgoing;
            String target;
            Optional<Route> route = match(method, rawPath);
            if (route.isEmpty()) {
                outgoing = Outgoing.json(404, HttpApiEvents.NOT_FOUND_BODY);
                target = "no route";
            } else {
                byte[] body = readBody(exchange.getRequestBody());
                if (body == null) {
                    outgoing = Outgoing.json(413, "{\"message\":\"Request Entity Too Large\"}");
                    target = "too large";
                } else {
                    Function function = functions.get(route.get().functionId());
                    target = function.definition().logicalId();
                    outgoing = invoke(function, incoming(exchange, body), route.get(), requestId, start);
                }
            }
            // Only the method and path: query strings carry authorization codes and state.
            log.println(method + " " + rawPath + " -> " + outgoing.status() + " (" + target + ", "
                    + Duration.between(start, clock.instant()).toMillis() + " ms)");
            write(exchange, outgoing, requestId, method);
        }
    }

    private Outgoing invoke(Function function, Incoming incoming, Route route, String requestId, Instant start) {
        APIGatewayV2HTTPEvent event = HttpApiEvents.toEvent(incoming, route.routeKey(), requestId, start);
        LambdaFunction definition = function.definition();
        LocalContext context = new LocalContext(definition, requestId, start, clock, log);
        APIGatewayV2HTTPResponse response;
        try {
            response = function.handler().handleRequest(event, context);
        } catch (RuntimeException | Error e) {
            // Lambda would report the error to API Gateway, which answers 502 without details. The log names
            // the exception's type and frames, never its message: messages may quote the request.
            log.println("ERROR " + definition.logicalId() + " threw " + describe(e));
            return Outgoing.json(502, HttpApiEvents.INTERNAL_ERROR_BODY);
        }
        long millis = Duration.between(start, clock.instant()).toMillis();
        if (millis > definition.timeoutSeconds() * 1000L) {
            log.println("WARN " + definition.logicalId() + " took " + millis + " ms; on Lambda it would have timed out after "
                    + definition.timeoutSeconds() + " s");
        }
        if (response == null || response.getStatusCode() < 100 || response.getStatusCode() > 599) {
            log.println("ERROR " + definition.logicalId() + " returned no valid statusCode");
            return Outgoing.json(502, HttpApiEvents.INTERNAL_ERROR_BODY);
        }
        try {
            return HttpApiEvents.fromResponse(response);
        } catch (IllegalArgumentException e) {
            log.println("ERROR " + definition.logicalId() + " returned a body flagged base64 that is not base64");
            return Outgoing.json(502, HttpApiEvents.INTERNAL_ERROR_BODY);
        }
    }

    private static Incoming incoming(HttpExchange exchange, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
        String sourceIp = exchange.getRemoteAddress().getAddress().getHostAddress();
        return new Incoming(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), headers, body, sourceIp, exchange.getProtocol());
    }

    /** The body, or null when it is larger than API Gateway accepts. */
    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        return body.length > MAX_BODY_BYTES ? null : body;
    }

    private static void write(HttpExchange exchange, Outgoing outgoing, String requestId, String method) throws IOException {
        var headers = exchange.getResponseHeaders();
        for (Map.Entry<String, String> h : outgoing.headers()) {
            headers.add(h.getKey(), h.getValue());
        }
        headers.set("apigw-requestid", requestId);
        int status = outgoing.status();
        boolean noBody = outgoing.body().length == 0 || method.equals("HEAD") || status == 204 || status == 304;
        exchange.sendResponseHeaders(status, noBody ? -1 : outgoing.body().length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(outgoing.body());
            }
        }
    }

    private static String describe(Throwable e) {
        StringBuilder b = new StringBuilder(e.getClass().getName());
        StackTraceElement[] frames = e.getStackTrace();
        for (int i = 0; i < Math.min(frames.length, 8); i++) {
            b.append(System.lineSeparator()).append("    at ").append(frames[i]);
        }
        if (e.getCause() != null && e.getCause() != e) {
            b.append(System.lineSeparator()).append("  caused by ").append(describe(e.getCause()));
        }
        return b.toString();
    }
}
