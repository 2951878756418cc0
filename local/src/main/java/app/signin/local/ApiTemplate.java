package app.signin.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the runner takes from {@code template.yaml}: each {@code AWS::Serverless::Function} (handler,
 * timeout, memory), each of its {@code HttpApi} events as a route, and the Lambda authorizers of the
 * {@code AWS::Serverless::HttpApi} resources that routes name in {@code Auth.Authorizer}. There is no second
 * list of routes anywhere: a route added to the template is served locally on the next start.
 */
record ApiTemplate(Path file, List<LambdaFunction> functions, List<Route> routes, Map<String, Authorizer> authorizers,
        Map<String, String> exports) {

    /** One function of the template, as Lambda would run it. */
    record LambdaFunction(String logicalId, String handler, int timeoutSeconds, int memoryMb) {
        /** The handler's class name, from {@code package.Class::method} or {@code package.Class}. */
        String handlerClass() {
            int sep = handler.indexOf("::");
            return sep < 0 ? handler : handler.substring(0, sep);
        }
    }

    /**
     * An HTTP API route: {@code method} is upper-case or {@code ANY}; {@code $default} catches what no other
     * route matches, as in API Gateway.
     */
    record Route(String method, String path, String functionId, String authorizer, Map<String, String> stageVariables) {
        static final String DEFAULT = "$default";

        /** A public route: no authorizer. */
        Route(String method, String path, String functionId) {
            this(method, path, functionId, null);
        }

        /** A route of an API without stage variables. */
        Route(String method, String path, String functionId, String authorizer) {
            this(method, path, functionId, authorizer, Map.of());
        }

        /** API Gateway's {@code routeKey}: {@code "GET /login"}, or {@code "$default"}. */
        String routeKey() {
            return isDefault() ? DEFAULT : method + " " + path;
        }

        boolean isDefault() {
            return DEFAULT.equals(path);
        }
    }

    /**
     * A Lambda authorizer of an HTTP API, as SAM declares it under {@code Auth.Authorizers}: the function it
     * invokes, its identity sources ({@code $request.header.Cookie}, ...) and its result TTL. The runner
     * supports what API Gateway calls REQUEST authorizers with payload format 2.0 and simple responses, and
     * refuses anything else rather than serve a route unprotected.
     */
    record Authorizer(String name, String functionId, List<String> identitySources, int ttlSeconds, String imported) {
        /** An authorizer whose function is in the same template. */
        Authorizer(String name, String functionId, List<String> identitySources, int ttlSeconds) {
            this(name, functionId, identitySources, ttlSeconds, null);
        }
    }

    static final String FUNCTION_TYPE = "AWS::Serverless::Function";
    static final String HTTP_API_TYPE = "AWS::Serverless::HttpApi";
    /** SAM's way to exempt one route from an API's default authorizer. */
    static final String NO_AUTHORIZER = "NONE";
    /** Lambda's defaults when neither the function nor Globals say otherwise. */
    static final int DEFAULT_TIMEOUT = 3;
    static final int DEFAULT_MEMORY = 128;

    /** The template in {@code start} or the nearest parent folder that has one. */
    static Path find(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("template.yaml");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no template.yaml in " + start.toAbsolutePath() + " or any folder above it");
    }

    static ApiTemplate read(Path file) {
        return from(file, CloudFormationYaml.read(file));
    }

    static ApiTemplate from(Path file, Map<String, Object> template) {
        Map<String, Object> globals = map(map(template.get("Globals")).get("Function"));
        Map<String, Authorizer> authorizers = new LinkedHashMap<>();
        Map<String, String> defaultAuthorizers = new LinkedHashMap<>();
        Map<String, Map<String, String>> stageVariables = new LinkedHashMap<>(); // by API
        for (Map.Entry<String, Object> resource : map(template.get("Resources")).entrySet()) {
            Map<String, Object> body = map(resource.getValue());
            if (HTTP_API_TYPE.equals(body.get("Type"))) {
                readAuth(file, resource.getKey(), map(map(body.get("Properties")).get("Auth")), authorizers,
                        defaultAuthorizers);
                Map<String, String> variables = new LinkedHashMap<>();
                map(map(body.get("Properties")).get("StageVariables"))
                        .forEach((name, value) -> variables.put(name, String.valueOf(value)));
                stageVariables.put(resource.getKey(), Map.copyOf(variables));
            }
        }
        List<LambdaFunction> functions = new ArrayList<>();
        List<Route> routes = new ArrayList<>();
        Set<String> routeKeys = new LinkedHashSet<>();
        for (Map.Entry<String, Object> resource : map(template.get("Resources")).entrySet()) {
            Map<String, Object> body = map(resource.getValue());
            if (!FUNCTION_TYPE.equals(body.get("Type"))) {
                continue;
            }
            String id = resource.getKey();
            Map<String, Object> properties = map(body.get("Properties"));
            String handler = string(properties, globals, "Handler")
                    .orElseThrow(() -> new IllegalStateException(id + " has no Handler in " + file));
            int timeout = string(properties, globals, "Timeout").map(Integer::parseInt).orElse(DEFAULT_TIMEOUT);
            int memory = string(properties, globals, "MemorySize").map(Integer::parseInt).orElse(DEFAULT_MEMORY);
            functions.add(new LambdaFunction(id, handler, timeout, memory));

            for (Map.Entry<String, Object> event : map(properties.get("Events")).entrySet()) {
                Map<String, Object> eventBody = map(event.getValue());
                if (!"HttpApi".equals(eventBody.get("Type"))) {
                    continue; // other event sources (queues, schedules) have no HTTP route to serve
                }
                Map<String, Object> eventProperties = map(eventBody.get("Properties"));
                Route route = route(id, event.getKey(), eventProperties, authorizers, defaultAuthorizers);
                // API Gateway passes the stage's variables to the route's authorizer and function.
                route = new Route(route.method(), route.path(), route.functionId(), route.authorizer(),
                        stageVariables.getOrDefault(String.valueOf(eventProperties.get("ApiId")), Map.of()));
                if (!routeKeys.add(route.routeKey())) {
                    throw new IllegalStateException("route " + route.routeKey() + " is declared twice in " + file);
                }
                routes.add(route);
            }
        }
        if (routes.isEmpty()) {
            throw new IllegalStateException("no HttpApi routes in " + file);
        }
        for (Authorizer authorizer : authorizers.values()) {
            if (authorizer.imported() == null
                    && functions.stream().noneMatch(f -> f.logicalId().equals(authorizer.functionId()))) {
                throw new IllegalStateException("authorizer " + authorizer.name() + " names " + authorizer.functionId()
                        + ", which is not a function of " + file);
            }
        }
        return new ApiTemplate(file, List.copyOf(functions), List.copyOf(routes), Map.copyOf(authorizers),
                exports(template, functions));
    }

    /**
     * The functions this template exports, by export name without its stack-name part:
     * {@code Export: Name: !Sub ${AWS::StackName}-SessionAuthorizerArn} with {@code Value: !Ref
     * AuthorizerFunction.Alias} is {@code -SessionAuthorizerArn -> AuthorizerFunction}.
     */
    private static Map<String, String> exports(Map<String, Object> template, List<LambdaFunction> functions) {
        Map<String, String> exports = new LinkedHashMap<>();
        for (Object output : map(template.get("Outputs")).values()) {
            Object name = map(map(output).get("Export")).get("Name");
            Object value = map(output).get("Value");
            if (name instanceof String n && value instanceof String v) {
                String functionId = v.contains(".") ? v.substring(0, v.indexOf('.')) : v;
                if (functions.stream().anyMatch(f -> f.logicalId().equals(functionId))) {
                    exports.put(withoutStackName(n), functionId);
                }
            }
        }
        return Map.copyOf(exports);
    }

    /** {@code ${AWS::StackName}-X} and {@code ${SignInStackName}-X} both name {@code -X} of one stack. */
    private static String withoutStackName(String exportName) {
        return exportName.replaceFirst("^\\$\\{[^}]*}", "");
    }

    /**
     * This template and {@code other} served side by side on one local API, as two stacks deployed in one
     * account: {@code other}'s authorizers that {@code Fn::ImportValue} one of this template's exports invoke
     * that function here. A function or route key declared by both, an import nothing exports, or one
     * authorizer name for two different authorizers stops the start.
     */
    ApiTemplate beside(ApiTemplate other) {
        List<LambdaFunction> allFunctions = new ArrayList<>(functions);
        for (LambdaFunction f : other.functions()) {
            if (function(f.logicalId()).isPresent()) {
                throw new IllegalStateException("function " + f.logicalId() + " is declared in both " + file + " and "
                        + other.file());
            }
            allFunctions.add(f);
        }
        Map<String, Authorizer> allAuthorizers = new LinkedHashMap<>(authorizers);
        for (Authorizer a : other.authorizers().values()) {
            Authorizer resolved = a;
            if (a.imported() != null) {
                String functionId = exports.get(withoutStackName(a.imported()));
                if (functionId == null) {
                    throw new IllegalStateException(other.file() + ": authorizer " + a.name() + " imports " + a.imported()
                            + ", which " + file + " does not export");
                }
                resolved = new Authorizer(a.name(), functionId, a.identitySources(), a.ttlSeconds());
            }
            Authorizer existing = allAuthorizers.putIfAbsent(a.name(), resolved);
            if (existing != null && !existing.equals(resolved)) {
                throw new IllegalStateException("authorizer " + a.name() + " means different things in " + file
                        + " and " + other.file());
            }
        }
        List<Route> allRoutes = new ArrayList<>(routes);
        for (Route r : other.routes()) {
            if (routes.stream().anyMatch(mine -> mine.routeKey().equals(r.routeKey()))) {
                throw new IllegalStateException("route " + r.routeKey() + " is declared in both " + file + " and "
                        + other.file());
            }
            allRoutes.add(r);
        }
        Map<String, String> allExports = new LinkedHashMap<>(other.exports());
        allExports.putAll(exports);
        return new ApiTemplate(file, List.copyOf(allFunctions), List.copyOf(allRoutes), Map.copyOf(allAuthorizers),
                Map.copyOf(allExports));
    }

    /** Refuses to serve a route whose authorizer imports a function no template given exports. */
    ApiTemplate requireResolved() {
        for (Authorizer a : authorizers.values()) {
            if (a.imported() != null) {
                throw new IllegalStateException(file + ": authorizer " + a.name() + " imports " + a.imported()
                        + "; serve it beside the template that exports it (./dev --with " + file + ")");
            }
        }
        return this;
    }

    /** The Lambda authorizers of one HttpApi resource, and its default authorizer if it has one. */
    private static void readAuth(Path file, String apiId, Map<String, Object> auth, Map<String, Authorizer> authorizers,
            Map<String, String> defaultAuthorizers) {
        for (Map.Entry<String, Object> entry : map(auth.get("Authorizers")).entrySet()) {
            String name = entry.getKey();
            Map<String, Object> a = map(entry.getValue());
            String where = apiId + ".Auth.Authorizers." + name;
            if (a.containsKey("JwtConfiguration") || !a.containsKey("FunctionArn")) {
                throw new IllegalStateException(where + ": only Lambda authorizers are supported by the local runner");
            }
            if (!"2.0".equals(String.valueOf(a.get("AuthorizerPayloadFormatVersion")))
                    || !Boolean.TRUE.equals(a.get("EnableSimpleResponses"))) {
                throw new IllegalStateException(where + ": the local runner supports AuthorizerPayloadFormatVersion 2.0"
                        + " with EnableSimpleResponses: true only");
            }
            // !Ref Fn.Alias, !GetAtt Fn.Arn and !Ref Fn all name the function Fn; Fn::ImportValue names another
            // template's export (resolved by beside()).
            Object imported = map(a.get("FunctionArn") instanceof Map<?, ?> m ? m : null).get("Fn::ImportValue");
            String arn = String.valueOf(a.get("FunctionArn"));
            String functionId = imported != null ? null : arn.contains(".") ? arn.substring(0, arn.indexOf('.')) : arn;
            Map<String, Object> identity = map(a.get("Identity"));
            List<String> sources = new ArrayList<>();
            sources.addAll(prefixed("$request.header.", identity.get("Headers")));
            sources.addAll(prefixed("$request.querystring.", identity.get("QueryStrings")));
            sources.addAll(prefixed("$stageVariables.", identity.get("StageVariables")));
            sources.addAll(prefixed("$context.", identity.get("Context")));
            int ttl = identity.containsKey("ReauthorizeEvery") ? Integer.parseInt(identity.get("ReauthorizeEvery").toString())
                    : 300; // API Gateway's default
            Authorizer authorizer = new Authorizer(name, functionId, List.copyOf(sources), ttl,
                    imported == null ? null : imported.toString());
            if (authorizers.put(name, authorizer) != null) {
                throw new IllegalStateException("authorizer " + name + " is declared twice in " + file);
            }
        }
        Object defaultAuthorizer = auth.get("DefaultAuthorizer");
        if (defaultAuthorizer != null) {
            defaultAuthorizers.put(apiId, defaultAuthorizer.toString());
        }
    }

    private static List<String> prefixed(String prefix, Object values) {
        if (values == null) {
            return List.of();
        }
        if (!(values instanceof List<?> list)) {
            throw new IllegalStateException("expected a list of identity sources, found " + values);
        }
        return list.stream().map(v -> prefix + v).toList();
    }

    Optional<LambdaFunction> function(String logicalId) {
        return functions.stream().filter(f -> f.logicalId().equals(logicalId)).findFirst();
    }

    private static Route route(String functionId, String eventName, Map<String, Object> properties,
            Map<String, Authorizer> authorizers, Map<String, String> defaultAuthorizers) {
        String authorizer = authorizer(functionId, eventName, properties, authorizers, defaultAuthorizers);
        Object path = properties.get("Path");
        Object method = properties.get("Method");
        if (path == null && method == null) {
            // SAM: an HttpApi event without Path and Method is the API's $default route.
            return new Route("ANY", Route.DEFAULT, functionId, authorizer);
        }
        if (path == null || method == null) {
            throw new IllegalStateException(functionId + "." + eventName + " needs both Path and Method");
        }
        String p = path.toString();
        if (!p.startsWith("/")) {
            throw new IllegalStateException(functionId + "." + eventName + ": Path must start with /");
        }
        if (p.contains("{")) {
            // Path parameters and greedy paths are not needed by this template; refuse them rather than
            // route them subtly differently from API Gateway.
            throw new IllegalStateException(functionId + "." + eventName + ": path parameters (" + p
                    + ") are not supported by the local runner");
        }
        String m = method.toString().toUpperCase(Locale.ROOT);
        return new Route(m, p, functionId, authorizer);
    }

    /**
     * The route's authorizer: its own {@code Auth.Authorizer}, else its API's default, {@code NONE} meaning
     * none. A name the template does not define stops the runner: serving the route unprotected instead
     * would hide exactly the mistake a developer needs to see.
     */
    private static String authorizer(String functionId, String eventName, Map<String, Object> properties,
            Map<String, Authorizer> authorizers, Map<String, String> defaultAuthorizers) {
        Object named = map(properties.get("Auth")).get("Authorizer");
        String name = named != null ? named.toString()
                : defaultAuthorizers.get(String.valueOf(properties.get("ApiId")));
        if (name == null || name.equals(NO_AUTHORIZER)) {
            return null;
        }
        if (!authorizers.containsKey(name)) {
            throw new IllegalStateException(functionId + "." + eventName + " names authorizer " + name
                    + ", which no HttpApi in the template defines");
        }
        return name;
    }

    private static Optional<String> string(Map<String, Object> properties, Map<String, Object> globals, String key) {
        Object v = properties.containsKey(key) ? properties.get(key) : globals.get(key);
        return Optional.ofNullable(v).map(Object::toString);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalStateException("expected a mapping, found " + value.getClass().getSimpleName());
    }
}
