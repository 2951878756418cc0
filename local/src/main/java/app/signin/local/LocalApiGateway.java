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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import app.signin.local.ApiTemplate.Authorizer;
import app.signin.local.ApiTemplate.LambdaFunction;
import app.signin.local.ApiTemplate.Route;
import app.signin.local.HttpApiEvents.Incoming;
import app.signin.local.HttpApiEvents.Outgoing;

/**
 * API Gateway's HTTP API in miniature, on the JDK's HTTP server: matches the template's routes, turns each
 * request into a payload 2.0 event, invokes the route's function and turns its response back into HTTP.
 * A route with a Lambda authorizer is first checked as API Gateway checks it: identity sources missing -
 * 401; the authorizer's simple response says no - 403; it fails - 500; yes - the function runs with the
 * authorizer's context in {@code requestContext.authorizer.lambda}. Authorizer results are never cached
 * here, which is stricter than any TTL the template may set.
 *
 * <p>Requests run on virtual threads and may reach one handler concurrently, where Lambda would run one
 * request per container at a time; the handlers keep no per-request state, so that difference does not show.
 */
final class LocalApiGateway implements AutoCloseable {
    /** API Gateway's own payload limit; Lambda's is lower still. */
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    /**
     * A function as the gateway invokes it: its template entry and its one handler instance - a
     * {@code RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>} behind a route, a
     * {@code RequestHandler<APIGatewayV2HTTPEvent, Map>} behind an authorizer (see
     * {@link HttpApiEvents#toAuthorizerEvent}).
     */
    record Function(LambdaFunction definition, RequestHandler<?, ?> handler) {
    }

    /** The {@code $context.*} identity sources this gateway can evaluate. */
    static final Set<String> CONTEXT_VARIABLES = Set.of("routeKey", "requestId", "stage", "apiId", "accountId",
            "domainName", "httpMethod");

    private final HttpServer server;
    private final RequestLineFront front;
    private final ExecutorService executor;
    private final Map<String, Route> routesByKey = new LinkedHashMap<>();
    private final Map<String, Function> functions;
    private final Map<String, Authorizer> authorizers = new LinkedHashMap<>();
    private final Clock clock;
    private final PrintStream log;

    /**
     * Binds the port right away (so the caller knows it before the functions are built) but serves nothing
     * until {@link #start}.
     */
    LocalApiGateway(InetSocketAddress address, PrintStream log, Clock clock) throws IOException {
        // The server on a private port, behind the front that owns the address (see RequestLineFront).
        this.server = HttpServer.create(new InetSocketAddress(address.getAddress(), 0), 64);
        try {
            this.front = new RequestLineFront(address, server.getAddress(), log);
        } catch (IOException e) {
            server.stop(0);
            throw e;
        }
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        this.functions = new LinkedHashMap<>();
        this.clock = clock;
        this.log = log;
    }

    int port() {
        return front.port();
    }

    /** The application's pages, for the runner's own answers (a malformed URL's error page). */
    void pages(app.signin.web.Pages pages) {
        front.pages(pages);
    }

    /** Serves {@code routes}, each invoking the function of that logical id in {@code functions}. */
    void start(List<Route> routes, Map<String, Function> functions) {
        start(routes, functions, Map.of());
    }

    /** As {@link #start(List, Map)}, with the Lambda authorizers the routes name. */
    void start(List<Route> routes, Map<String, Function> functions, Map<String, Authorizer> authorizers) {
        for (Route route : routes) {
            if (!functions.containsKey(route.functionId())) {
                throw new IllegalArgumentException("route " + route.routeKey() + " names unknown function " + route.functionId());
            }
            if (route.authorizer() != null && !authorizers.containsKey(route.authorizer())) {
                throw new IllegalArgumentException("route " + route.routeKey() + " names unknown authorizer " + route.authorizer());
            }
            routesByKey.put(route.routeKey(), route);
        }
        for (Authorizer authorizer : authorizers.values()) {
            if (!functions.containsKey(authorizer.functionId())) {
                throw new IllegalArgumentException("authorizer " + authorizer.name() + " names unknown function "
                        + authorizer.functionId());
            }
            for (String source : authorizer.identitySources()) {
                if (source.startsWith("$context.") && !CONTEXT_VARIABLES.contains(source.substring("$context.".length()))) {
                    throw new IllegalArgumentException("authorizer " + authorizer.name() + ": identity source " + source
                            + " is not supported by the local runner");
                }
            }
        }
        this.authorizers.putAll(authorizers);
        this.functions.putAll(functions);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        front.start();
    }

    @Override
    public void close() {
        front.close();
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
                    Incoming incoming = incoming(exchange, body);
                    APIGatewayV2HTTPEvent event = HttpApiEvents.toEvent(incoming, route.get().routeKey(), requestId, start);
                    if (!route.get().stageVariables().isEmpty()) {
                        event.setStageVariables(route.get().stageVariables());
                    }
                    Decision decision = route.get().authorizer() == null ? Decision.PUBLIC
                            : authorize(authorizers.get(route.get().authorizer()), incoming, event, start);
                    if (decision.denied() != null) {
                        outgoing = decision.denied();
                        target = "authorizer " + authorizers.get(route.get().authorizer()).functionId();
                    } else {
                        if (decision.context() != null) {
                            event.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer
                                    .builder().withLambda(decision.context()).build());
                        }
                        outgoing = invoke(function, event, requestId, start);
                    }
                }
            }
            // Only the method and path: query strings carry authorization codes and state.
            log.println(method + " " + rawPath + " -> " + outgoing.status() + " (" + target + ", "
                    + Duration.between(start, clock.instant()).toMillis() + " ms)");
            write(exchange, outgoing, requestId, method);
        }
    }

    /** The authorizer's verdict: a response that ends the request, or the context to hand the function. */
    private record Decision(Outgoing denied, Map<String, Object> context) {
        static final Decision PUBLIC = new Decision(null, null);
    }

    /**
     * API Gateway's steps for a REQUEST authorizer with simple responses. Identity sources are checked
     * before anything is invoked; the authorizer's answer must be {@code {"isAuthorized": bool,
     * "context": {...}}} with string, number or boolean context values, or API Gateway answers 500.
     */
    private Decision authorize(Authorizer authorizer, Incoming incoming, APIGatewayV2HTTPEvent event, Instant start) {
        Optional<List<String>> identity = HttpApiEvents.identityValues(authorizer.identitySources(), incoming, event);
        if (identity.isEmpty()) {
            return new Decision(Outgoing.json(401, HttpApiEvents.UNAUTHORIZED_BODY), null);
        }
        Function function = functions.get(authorizer.functionId());
        LambdaFunction definition = function.definition();
        Object answer;
        try {
            @SuppressWarnings("unchecked")
            RequestHandler<APIGatewayV2HTTPEvent, Object> handler =
                    (RequestHandler<APIGatewayV2HTTPEvent, Object>) function.handler();
            answer = handler.handleRequest(HttpApiEvents.toAuthorizerEvent(event),
                    new LocalContext(definition, event.getRequestContext().getRequestId(), start, clock, log));
        } catch (RuntimeException | Error e) {
            log.println("ERROR " + definition.logicalId() + " (authorizer " + authorizer.name() + ") threw " + describe(e));
            return new Decision(Outgoing.json(500, HttpApiEvents.INTERNAL_ERROR_BODY), null);
        }
        if (!(answer instanceof Map<?, ?> response) || !(response.get("isAuthorized") instanceof Boolean authorized)) {
            log.println("ERROR " + definition.logicalId() + " (authorizer " + authorizer.name()
                    + ") did not return a simple response {\"isAuthorized\": true|false, \"context\": {...}}");
            return new Decision(Outgoing.json(500, HttpApiEvents.INTERNAL_ERROR_BODY), null);
        }
        if (!authorized) {
            return new Decision(Outgoing.json(403, HttpApiEvents.FORBIDDEN_BODY), null);
        }
        Map<String, Object> context = new LinkedHashMap<>();
        Object raw = response.get("context");
        if (raw instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object v = e.getValue();
                if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                    log.println("ERROR " + definition.logicalId() + " (authorizer " + authorizer.name()
                            + ") returned a context value that is not a string, number or boolean: " + e.getKey());
                    return new Decision(Outgoing.json(500, HttpApiEvents.INTERNAL_ERROR_BODY), null);
                }
                context.put(String.valueOf(e.getKey()), v);
            }
        }
        return new Decision(null, context);
    }

    @SuppressWarnings("unchecked")
    private Outgoing invoke(Function function, APIGatewayV2HTTPEvent event, String requestId, Instant start) {
        LambdaFunction definition = function.definition();
        LocalContext context = new LocalContext(definition, requestId, start, clock, log);
        APIGatewayV2HTTPResponse response;
        try {
            response = ((RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) function.handler())
                    .handleRequest(event, context);
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
