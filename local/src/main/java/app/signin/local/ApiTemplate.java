package app.signin.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the runner takes from {@code template.yaml}: each {@code AWS::Serverless::Function} (handler,
 * timeout, memory) and each of its {@code HttpApi} events as a route. There is no second list of routes
 * anywhere: a route added to the template is served locally on the next start.
 */
record ApiTemplate(Path file, List<LambdaFunction> functions, List<Route> routes) {

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
    record Route(String method, String path, String functionId) {
        static final String DEFAULT = "$default";

        /** API Gateway's {@code routeKey}: {@code "GET /login"}, or {@code "$default"}. */
        String routeKey() {
            return isDefault() ? DEFAULT : method + " " + path;
        }

        boolean isDefault() {
            return DEFAULT.equals(path);
        }
    }

    static final String FUNCTION_TYPE = "AWS::Serverless::Function";
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
                Route route = route(id, event.getKey(), map(eventBody.get("Properties")));
                if (!routeKeys.add(route.routeKey())) {
                    throw new IllegalStateException("route " + route.routeKey() + " is declared twice in " + file);
                }
                routes.add(route);
            }
        }
        if (routes.isEmpty()) {
            throw new IllegalStateException("no HttpApi routes in " + file);
        }
        return new ApiTemplate(file, List.copyOf(functions), List.copyOf(routes));
    }

    Optional<LambdaFunction> function(String logicalId) {
        return functions.stream().filter(f -> f.logicalId().equals(logicalId)).findFirst();
    }

    private static Route route(String functionId, String eventName, Map<String, Object> properties) {
        Object path = properties.get("Path");
        Object method = properties.get("Method");
        if (path == null && method == null) {
            // SAM: an HttpApi event without Path and Method is the API's $default route.
            return new Route("ANY", Route.DEFAULT, functionId);
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
        return new Route(m, p, functionId);
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
