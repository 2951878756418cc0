package app.signin.local;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

import app.signin.App;
import app.signin.config.Config;
import app.signin.config.ConfigException;
import app.signin.handler.Wiring;
import app.signin.local.ApiTemplate.LambdaFunction;
import app.signin.log.Log;

/**
 * Serves the real Lambda handlers on {@code http://localhost:$PORT} (default 3000) as API Gateway would,
 * with nothing but a JDK: routes from {@code template.yaml}, an in-process stand-in for Google unless
 * {@code GOOGLE_CLIENT_ID} is set, and an in-memory session store unless {@code DYNAMODB_ENDPOINT} is set.
 *
 * <p>One {@link App} graph serves all functions, each function getting one handler instance over it (a warm
 * container per function). One graph rather than one per function because the in-memory store must be
 * shared by login and callback to work at all, and because every function reads the same Globals
 * environment: four graphs would differ only in fetching the provider's discovery document and keys four
 * times.
 */
public final class LocalRunner {
    public static final String PORT = "PORT";
    public static final int DEFAULT_PORT = 3000;
    static final String DEFAULT_TABLE = "sessions";
    static final String STAND_IN_BANNER = "USING A LOCAL STAND-IN FOR GOOGLE — any e-mail signs in";

    private LocalRunner() {
    }

    /**
     * {@code [--template path/to/template.yaml] [--with other/template.yaml]... [--exit-when-started]}. The
     * template defaults to the nearest {@code template.yaml} at or above the working directory. Each
     * {@code --with} template is served beside it on the same origin, as another stack in the same account
     * ({@link ApiTemplate#beside}: its authorizers may import this one's). {@code --exit-when-started} stops
     * right after start-up: {@code ./dev} runs it once per build to record the JVM's start-up (AOT) cache.
     */
    public static void main(String[] args) {
        // The JVM's own start, not the process's: ./dev exec's java in the process that ran the build.
        Instant launched = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        Path template = null;
        List<Path> beside = new ArrayList<>();
        boolean exitWhenStarted = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--template") && i + 1 < args.length) {
                template = Path.of(args[++i]);
            } else if (args[i].equals("--with") && i + 1 < args.length) {
                beside.add(Path.of(args[++i]));
            } else if (args[i].equals("--exit-when-started")) {
                exitWhenStarted = true;
            } else {
                System.err.println("Usage: LocalRunner [--template path/to/template.yaml] [--with other/template.yaml]..."
                        + " [--exit-when-started]");
                System.exit(2);
                return;
            }
        }
        Running running;
        try {
            running = start(System.getenv(), template != null ? template : ApiTemplate.find(Path.of("")), beside,
                    System.out, launched);
        } catch (ConfigException | IllegalStateException e) {
            System.err.println("Cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (exitWhenStarted) {
            running.close();
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            System.out.println("Stopped.");
            stopped.countDown();
        }, "local-runner-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A started runner; {@link #close} stops the server, the provider and the store client. */
    public static final class Running implements AutoCloseable {
        private final URI url;
        private final App app;
        private final Map<String, LocalApiGateway.Function> functions;
        private final List<AutoCloseable> resources;

        Running(URI url, App app, Map<String, LocalApiGateway.Function> functions, List<AutoCloseable> resources) {
            this.url = url;
            this.app = app;
            this.functions = functions;
            this.resources = resources;
        }

        /** The site's origin, e.g. {@code http://localhost:3000}. */
        public URI url() {
            return url;
        }

        public App app() {
            return app;
        }

        /** The handler instance serving each function (routes' and authorizers'), by the function's logical id. */
        public Map<String, RequestHandler<?, ?>> handlers() {
            Map<String, RequestHandler<?, ?>> handlers = new LinkedHashMap<>();
            functions.forEach((id, f) -> handlers.put(id, f.handler()));
            return handlers;
        }

        @Override
        public void close() {
            closeAll(resources);
        }
    }

    /** In the order opened - the server first, so no request reaches a peer that is already closed. */
    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                // shutting down: keep closing the rest
            }
        }
    }

    /**
     * Starts the runner. {@code processEnv} is read the way Lambda's environment would be, with local
     * defaults added for what a developer should not have to set; {@code launched} is when start-up began,
     * for the reported start-up time.
     */
    public static Running start(Map<String, String> processEnv, Path templateFile, PrintStream out, Instant launched) {
        return start(processEnv, templateFile, List.of(), out, launched);
    }

    /** As {@link #start(Map, Path, PrintStream, Instant)}, with {@code beside} templates served on the same API. */
    public static Running start(Map<String, String> processEnv, Path templateFile, List<Path> beside, PrintStream out,
            Instant launched) {
        ApiTemplate template = ApiTemplate.read(templateFile);
        for (Path other : beside) {
            template = template.beside(ApiTemplate.read(other));
        }
        template.requireResolved();
        int port = port(processEnv);
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            LocalApiGateway gateway = bind(port, out);
            resources.add(gateway);
            URI url = URI.create("http://localhost:" + gateway.port());

            Map<String, String> env = new HashMap<>(processEnv);
            requireNoArns(env);
            if (blank(env.get(Config.PUBLIC_BASE_URL))) {
                env.put(Config.PUBLIC_BASE_URL, url.toString());
            }
            if (blank(env.get(Config.SESSION_TABLE))) {
                env.put(Config.SESSION_TABLE, DEFAULT_TABLE);
            }
            if (blank(env.get(Config.AWS_REGION))) {
                env.put(Config.AWS_REGION, "us-east-1"); // used only with DYNAMODB_ENDPOINT, where any region works
            }
            boolean generatedSecret = blank(env.get(Config.SESSION_SECRET));
            if (generatedSecret) {
                env.put(Config.SESSION_SECRET, randomSecret());
            }
            StandInProvider standIn = null;
            if (blank(env.get(Config.GOOGLE_CLIENT_ID))) {
                standIn = StandInProvider.start();
                resources.add(standIn);
                env.put(Config.OIDC_ISSUER, standIn.issuer().toString());
                env.put(Config.GOOGLE_CLIENT_ID, StandInProvider.CLIENT_ID);
                env.put(Config.GOOGLE_CLIENT_SECRET, StandInProvider.CLIENT_SECRET);
            }

            Config config = Config.load(env, arn -> {
                throw new IllegalStateException("no Secrets Manager locally");
            });
            Clock clock = Clock.systemUTC();
            LocalStore store = LocalStore.open(config, env, clock);
            resources.add(store);
            App app = new App(config, store.store(), clock, new SecureRandom(), new Log(out));

            Map<String, LocalApiGateway.Function> functions = new LinkedHashMap<>();
            for (LambdaFunction function : template.functions()) {
                if (!isReachable(template, function)) {
                    continue; // no route and no authorizer names it (the operators' function): nothing to serve
                }
                functions.put(function.logicalId(), new LocalApiGateway.Function(function, handler(function, app)));
            }
            gateway.pages(app.pages());
            gateway.start(template.routes(), functions, template.authorizers());

            long millis = Duration.between(launched, Instant.now()).toMillis();
            banner(out, url, template, beside, config, standIn, store, generatedSecret, millis);
            return new Running(url, app, functions, resources);
        } catch (RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    private static LocalApiGateway bind(int port, PrintStream out) {
        try {
            // Loopback only: the runner is for this machine's browser, not the network.
            return new LocalApiGateway(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), out,
                    Clock.systemUTC());
        } catch (BindException e) {
            throw new IllegalStateException("port " + port + " is in use; set " + PORT + " to another port", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** True for a function some route or authorizer of the template invokes. */
    static boolean isReachable(ApiTemplate template, LambdaFunction function) {
        return template.routes().stream().anyMatch(r -> r.functionId().equals(function.logicalId()))
                || template.authorizers().values().stream().anyMatch(a -> a.functionId().equals(function.logicalId()));
    }

    /**
     * The function's handler, built with the constructor that takes the shared graph (see STYLE: thin
     * handlers), or with its no-argument constructor when it needs no graph (a function behind the
     * authorizer that reads only the authorizer's context). Its declared input type must be the payload 2.0
     * event every function here is invoked with (an authorizer's event has the route event's request fields
     * under the same names, and is read into that type), so that a handler for anything else stops the start
     * instead of failing a request.
     */
    private static RequestHandler<?, ?> handler(LambdaFunction function, App app) {
        String className = function.handlerClass();
        try {
            Class<?> type = Class.forName(className);
            if (!RequestHandler.class.isAssignableFrom(type)) {
                throw new IllegalStateException(function.logicalId() + ": " + className + " is not a RequestHandler");
            }
            Class<?> input = inputType(type);
            if (input != null && !input.isAssignableFrom(APIGatewayV2HTTPEvent.class)) {
                throw new IllegalStateException(function.logicalId() + ": " + className + " handles "
                        + input.getSimpleName() + " but is invoked with " + APIGatewayV2HTTPEvent.class.getSimpleName());
            }
            // The page handlers take their collaborators, wired over this graph; others take the graph itself.
            Optional<Object> wired = Wiring.handler(type, app);
            if (wired.isPresent()) {
                return (RequestHandler<?, ?>) wired.get();
            }
            Constructor<?> constructor;
            try {
                constructor = type.getConstructor(App.class);
                return (RequestHandler<?, ?>) constructor.newInstance(app);
            } catch (NoSuchMethodException e) {
                return (RequestHandler<?, ?>) type.getConstructor().newInstance();
            }
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(function.logicalId() + ": handler class " + className + " is not on the classpath", e);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(function.logicalId() + ": " + className
                    + " has neither a constructor taking an App nor one without arguments", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(function.logicalId() + ": cannot create " + className + ": "
                    + (e.getCause() == null ? e : e.getCause()).getClass().getSimpleName(), e);
        }
    }

    /** The {@code I} of the {@code RequestHandler<I, O>} the class implements, or null if it is not declared. */
    static Class<?> inputType(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class
                        && p.getActualTypeArguments()[0] instanceof Class<?> input) {
                    return input;
                }
            }
        }
        return null;
    }

    static int port(Map<String, String> env) {
        String raw = env.get(PORT);
        if (blank(raw)) {
            return DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(raw.strip());
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(PORT + " must be a port number (0-65535), not \"" + raw + "\"");
        }
    }

    /** Locally, secrets are values in the environment: there is no Secrets Manager to resolve ARNs with. */
    private static void requireNoArns(Map<String, String> env) {
        List<String> set = List.of(Config.GOOGLE_CLIENT_SECRET_ARN, Config.SESSION_SECRET_ARN).stream()
                .filter(name -> !blank(env.get(name))).toList();
        if (!set.isEmpty()) {
            throw new IllegalStateException(String.join(" and ", set) + " set: the local runner takes secrets as values ("
                    + set.stream().map(n -> n.replace("_ARN", "")).collect(Collectors.joining(", ")) + "); unset the ARN");
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[48];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static void banner(PrintStream out, URI url, ApiTemplate template, List<Path> beside, Config config,
            StandInProvider standIn, LocalStore store, boolean generatedSecret, long millis) {
        String routes = template.routes().stream().map(r -> r.routeKey() + " -> " + r.functionId()
                        + (r.authorizer() == null ? "" : " (behind " + r.authorizer() + ")"))
                .collect(Collectors.joining(System.lineSeparator() + "               "));
        out.println();
        out.println("Sign in with Google - local runner");
        out.println("  URL:         " + url + "/");
        out.println("  Provider:    " + (standIn == null
                ? "Google (" + config.issuer() + "), client " + config.clientId()
                        + System.lineSeparator() + "               redirect URI to register: "
                        + config.publicBaseUrl().map(u -> u + "/callback").orElse("?")
                : "local stand-in for Google at " + standIn.issuer()));
        out.println("  Store:       " + store.description());
        out.println("  Secret:      " + (generatedSecret ? "SESSION_SECRET generated for this run" : "SESSION_SECRET from the environment"));
        out.println("  Routes:      " + routes);
        out.println("  Template:    " + template.file());
        beside.forEach(other -> out.println("  Beside it:   " + other));
        if (standIn != null) {
            String line = "*".repeat(STAND_IN_BANNER.length() + 6);
            out.println();
            out.println("  " + line);
            out.println("  *  " + STAND_IN_BANNER + "  *");
            out.println("  " + line);
        }
        out.println();
        out.println("Started in " + millis + " ms. Open " + url + "/ - Ctrl-C stops.");
        out.println();
    }
}
