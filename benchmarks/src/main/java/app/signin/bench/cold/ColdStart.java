package app.signin.bench.cold;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.nimbusds.jose.util.JSONObjectUtils;

import app.signin.bench.peers.LoopbackProvider;
import app.signin.store.DynamoDbSessionStore;
import app.signin.testing.TestDynamoDb;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Cold start of every handler in a fresh JVM, started the way the managed {@code java25} runtime starts it.
 *
 * <p>Each child is {@code java <the runtime's flags> -cp <runtime interface client>
 * com.amazonaws.services.lambda.runtime.api.client.AWSLambda <Handler from template.yaml>}, its working
 * directory the deployed artifact laid out as Lambda unpacks it ({@code /var/task}: classes at the root,
 * {@code lib/*.jar}), its environment the template's plus what Lambda sets. The runtime interface client
 * loads the handler class, calls its no-argument constructor, asks {@link RuntimeApi} for the next event,
 * deserializes it, calls the handler and posts the response - where the clock stops. Peers are on loopback:
 * moto_server for DynamoDB and Secrets Manager (the session secret is read from an ARN at init, as deployed),
 * {@link LoopbackProvider} for the identity provider.
 *
 * <p>Scenarios are interleaved round by round (hello, index, ..., hello, index, ...) so that a change in
 * machine load touches all of them alike; one warm-up round (page cache) is discarded. The number of
 * loaded classes comes from one extra run per scenario with {@code -Xlog:class+load}, so the logging does
 * not slow the timed runs.
 *
 * <p>Usage: {@code ColdStart <repo root> [runs] [scenario,...]}; {@code ./bench cold} runs it.
 */
public final class ColdStart {
    static final String JAVA = System.getProperty("bench.java", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    /** The memory the template gives every function; the runtime sizes the heap from it. */
    static final int MEMORY_MB = 1024;

    /**
     * The managed runtime's own command line (as it shows in /proc/1/cmdline on java17/21/25), less the
     * javaagent and the runtime's private class-data archive, which exist only inside Lambda's image. On
     * java25 the runtime stops tiered compilation at level 1 (C1) for on-demand containers only; with
     * SnapStart (or provisioned concurrency) it leaves the JVM's default tiered compilation, C2 included,
     * because compiling then happens before the snapshot, off the invocation path (AWS Lambda developer
     * guide, "Customize Java runtime startup behavior for Lambda functions").
     */
    static List<String> runtimeFlags() {
        List<String> flags = new ArrayList<>(List.of(
                "-XX:MaxHeapSize=" + (MEMORY_MB * 1024L * 85 / 100) + "k",
                "-XX:+UseSerialGC",
                "-XX:+TieredCompilation"));
        if (AOT.isEmpty()) {
            // The JVM refuses -XX:AOTCache (and AOTConfiguration) beside any -Xshare option: "Option AOTCache
            // cannot be used at the same time with -Xshare:on, -Xshare:auto, ...". So with bench.aot the
            // runtime's -Xshare:auto is dropped - which the function cannot do on Lambda (BENCHMARKS.md).
            flags.add(2, "-Xshare:auto");
        }
        if (!SNAPSTART) {
            flags.add("-XX:TieredStopAtLevel=1");
        }
        flags.addAll(List.of(
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
                "-Djava.net.preferIPv4Stack=true",
                "-XX:+ErrorFileToStderr",
                "--enable-native-access=ALL-UNNAMED"));
        return flags;
    }

    /**
     * {@code status} is the HTTP status the success path answers, {@link #AUTHORIZED} for an authorizer,
     * whose success is the simple response {@code {"isAuthorized": true, "context": {...}}}, or
     * {@link #OPERATOR} for a function invoked directly.
     */
    record Scenario(String name, boolean hello, String handler, Supplier<byte[]> event, int status, String bodyMust) {
    }

    static final int AUTHORIZED = -1;
    /** The operators' function: success is a JSON answer containing {@code bodyMust}, no error. */
    static final int OPERATOR = -2;

    /**
     * One child. Under SnapStart emulation {@code wallNanos}/{@code cpuNanos} are from the restore to the
     * response, and {@code initWallNanos}/{@code initCpuNanos} from process start to the snapshot point.
     */
    record Sample(long wallNanos, long cpuNanos, long cpuTicksNanos, long peakRssKb, long initWallNanos,
            long initCpuNanos, List<Long> cpuNanosAt, List<Long> wallNanosAt) {
    }

    /**
     * {@code -Dbench.snapstart=true}: the children start with {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start},
     * so the runtime runs the beforeCheckpoint hooks (priming) after init and asks to be restored; the
     * clock for the request then starts at the restore.
     */
    static final boolean SNAPSTART = Boolean.getBoolean("bench.snapstart");

    /**
     * {@code -Dbench.plainSecrets=true}: the secrets in the environment instead of Secrets Manager ARNs (the
     * local form), to show what reading them at init costs. The deployed form - ARNs - is the default.
     */
    static final boolean PLAIN_SECRETS = Boolean.getBoolean("bench.plainSecrets");

    /**
     * {@code -Dbench.requests=N}: requests each child serves (SnapStart emulation: after the restore; the
     * report gives the first, the 2nd-10th and the 11th-100th). Default 100 under SnapStart, 1 on demand.
     */
    static final int REQUESTS = Integer.getInteger("bench.requests", SNAPSTART ? 100 : 1);

    /**
     * {@code -Dbench.threads=true}: under SnapStart emulation, print which threads spent the first request's
     * CPU (the handler's, the JIT compiler's, GC ...), per child, on standard error.
     */
    static final boolean THREADS = Boolean.getBoolean("bench.threads");

    /**
     * {@code -Dbench.javaToolOptions=...}: the functions' JAVA_TOOL_OPTIONS instead of template.yaml's
     * (e.g. the old {@code -XX:TieredStopAtLevel=1} pin, to measure what it cost).
     */
    static final String JAVA_TOOL_OPTIONS_OVERRIDE = System.getProperty("bench.javaToolOptions");

    /**
     * {@code -Dbench.aot=runtime|function}: the children start with a JDK 25 AOT cache (JEP 483/514/515).
     * {@code runtime} emulates the java25 runtime's own cache for its runtime interface client: one cache
     * trained on the hello-world function, used by every child. {@code function}: each scenario its own
     * cache, trained on one run of that scenario - the most a cache shipped in the zip could give. Training
     * and assembly happen before the timed rounds (their logs, with {@code -Xlog:aot}, in target/cold/aot).
     */
    static final String AOT = System.getProperty("bench.aot", "");
    /** The AOT cache flags of each scenario's children (empty without {@code bench.aot}). */
    static final Map<String, List<String>> AOT_FLAGS = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 11;
        List<String> only = args.length > 2 ? List.of(args[2].split(",")) : List.of();
        Path work = root.resolve("benchmarks/target/cold");
        Path functionDir = layOutFunction(root, work.resolve("function"));
        Path helloDir = layOutHello(root, work.resolve("hello"));
        String runtimeCp = classpath(root.resolve("benchmarks/target/lambda-runtime"));
        Map<String, String> handlers = TemplateHandlers.read(root.resolve("template.yaml"));
        String javaToolOptions = JAVA_TOOL_OPTIONS_OVERRIDE != null ? JAVA_TOOL_OPTIONS_OVERRIDE
                : TemplateHandlers.javaToolOptions(root.resolve("template.yaml"));

        String load0 = Files.readString(Path.of("/proc/loadavg")).strip();
        TestDynamoDb moto = TestDynamoDb.shared();
        String table = moto.createTable();
        Map<String, String> secrets = createSecrets(moto.endpoint());
        try (LoopbackProvider provider = new LoopbackProvider(); RuntimeApi api = new RuntimeApi();
                DynamoDbClient dynamo = moto.client()) {
            Map<String, String> functionEnv = functionEnv(provider.issuer(), table, moto.endpoint(), secrets);
            functionEnv.put("JAVA_TOOL_OPTIONS", javaToolOptions);
            Map<String, String> fixtureEnv = new LinkedHashMap<>(functionEnv);
            fixtureEnv.put("SESSION_SECRET", secrets.get("session"));
            fixtureEnv.put("SESSION_SECRET_ARN", "");
            Fixtures fixtures = new Fixtures(root.resolve("events"), fixtureEnv, new DynamoDbSessionStore(dynamo, table));

            List<Scenario> scenarios = new ArrayList<>(List.of(
                    new Scenario("hello", true, "app.signin.bench.hello.HelloHandler", () -> fixtures.asIs("index"), 200, "hello /"),
                    new Scenario("index (signed out)", false, handlers.get("IndexFunction"), () -> fixtures.asIs("index"), 200, "Sign in with Google"),
                    new Scenario("index (signed in)", false, handlers.get("IndexFunction"), fixtures::signedInIndex, 200, "Signed in as"),
                    new Scenario("login", false, handlers.get("LoginFunction"), () -> fixtures.asIs("login"), 302, ""),
                    new Scenario("callback", false, handlers.get("CallbackFunction"), () -> fixtures.callback(provider::expect), 303, ""),
                    new Scenario("logout", false, handlers.get("LogoutFunction"), fixtures::logout, 303, ""),
                    // The authorizer answers API Gateway, not a browser: its success is isAuthorized true.
                    new Scenario("authorizer", false, handlers.get("AuthorizerFunction"), fixtures::signedInAuthorizer,
                            AUTHORIZED, "alice@example.com"),
                    // The same route for a client with a Google ID token instead of a cookie: discovery,
                    // JWKS and the signature check instead of the session read (made fresh per child).
                    new Scenario("authorizer (bearer)", false, handlers.get("AuthorizerFunction"),
                            () -> fixtures.bearerAuthorizer(provider.bearerIdToken()), AUTHORIZED, "\"via\":\"bearer\""),
                    new Scenario("me", false, handlers.get("MeFunction"), () -> fixtures.asIs("me"), 200, "alice@example.com"),
                    // A Google API for the user: the session read and the userinfo call, and with an expired
                    // access token also the refresh and the compare-and-set write.
                    new Scenario("google userinfo", false, handlers.get("GoogleUserinfoFunction"),
                            () -> fixtures.googleUserinfo(false), 200, "alice@example.com"),
                    new Scenario("google userinfo (refresh)", false, handlers.get("GoogleUserinfoFunction"),
                            () -> fixtures.googleUserinfo(true), 200, "alice@example.com"),
                    new Scenario("sessions", false, handlers.get("SessionsFunction"), fixtures::signedInSessions, 200,
                            "Your sessions"),
                    new Scenario("end session", false, handlers.get("EndSessionFunction"), fixtures::endSession, 303, ""),
                    // The operators' function answers its invoker, not API Gateway: {"ended": N}.
                    new Scenario("end user sessions", false, handlers.get("EndUserSessionsFunction"),
                            fixtures::endUserSessions, OPERATOR, "\"ended\":2")));
            if (!only.isEmpty()) {
                scenarios.removeIf(s -> !s.name().equals("hello") && only.stream().noneMatch(o -> s.name().startsWith(o)));
            }

            if (!AOT.isEmpty()) {
                trainAotCaches(scenarios, helloDir, functionDir, runtimeCp, functionEnv, api, work);
            }
            Map<String, List<Sample>> samples = new LinkedHashMap<>();
            Map<String, Integer> classes = new LinkedHashMap<>();
            Map<String, Map<String, Integer>> classSources = new LinkedHashMap<>();
            Path logs = Files.createDirectories(work.resolve("logs"));
            for (int round = 0; round <= runs; round++) {
                for (Scenario s : scenarios) {
                    Child child = run(s, s.hello() ? helloDir : functionDir, runtimeCp, functionEnv, api, logs, null);
                    if (round > 0) { // round 0 warms the page cache and is not counted
                        samples.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(child.sample());
                    }
                }
                System.err.printf("round %d/%d done%n", round, runs);
            }
            provider.resetCounts();
            Map<String, Map<String, Integer>> roundTrips = new LinkedHashMap<>();
            for (Scenario s : scenarios) {
                Path classLog = logs.resolve("classes-" + slug(s.name()) + ".log");
                Files.deleteIfExists(classLog);
                run(s, s.hello() ? helloDir : functionDir, runtimeCp, functionEnv, api, logs, classLog);
                List<String> lines = Files.readAllLines(classLog);
                classes.put(s.name(), lines.size());
                classSources.put(s.name(), ClassLoadLog.bySource(lines));
                roundTrips.put(s.name(), Map.of(
                        "discovery", provider.requests("/.well-known/openid-configuration"),
                        "jwks", provider.requests("/jwks"),
                        "token", provider.requests("/token"),
                        "revoke", provider.requests("/revoke"),
                        "userinfo", provider.requests("/userinfo")));
                provider.resetCounts();
            }
            String load1 = Files.readString(Path.of("/proc/loadavg")).strip();
            List<String> flags = new ArrayList<>(runtimeFlags());
            if (!AOT.isEmpty()) {
                flags.add("-XX:AOTCache=<" + AOT + " cache>");
            }
            Report report = new Report(runs, samples, classes, classSources, roundTrips, load0, load1, flags,
                    SNAPSTART, javaToolOptions, REQUESTS);
            String markdown = report.markdown();
            System.out.println(markdown);
            Path out = Files.createDirectories(root.resolve("benchmarks/target/bench"));
            String name = SNAPSTART ? "snapstart" : "cold";
            Files.writeString(out.resolve(name + ".md"), markdown);
            Files.writeString(out.resolve(name + ".json"), report.json());
        } finally {
            deleteTable(moto, table);
        }
    }

    record Child(Sample sample, int classes) {
    }

    /** See {@link #AOT}: one training run per cache (AOTMode=record), then the cache assembled (AOTMode=create). */
    static void trainAotCaches(List<Scenario> scenarios, Path helloDir, Path functionDir, String runtimeCp,
            Map<String, String> functionEnv, RuntimeApi api, Path work) throws Exception {
        Path dir = work.resolve("aot");
        recreate(dir);
        Path logs = Files.createDirectories(dir.resolve("logs"));
        for (Scenario s : scenarios) {
            if (AOT.equals("runtime") && !s.hello()) {
                continue;
            }
            Path conf = dir.resolve(slug(s.name()) + ".aotconf");
            Path cache = dir.resolve(slug(s.name()) + ".aot");
            AOT_FLAGS.put(s.name(), List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + conf));
            run(s, s.hello() ? helloDir : functionDir, runtimeCp, functionEnv, api, logs, null);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.exists(conf) && System.nanoTime() < deadline) {
                Thread.sleep(50); // written as the child exits
            }
            List<String> create = new ArrayList<>(List.of(JAVA));
            create.addAll(runtimeFlags());
            create.addAll(List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + conf, "-XX:AOTCache=" + cache,
                    "-Xlog:aot=info,cds=info:file=" + logs.resolve(slug(s.name()) + "-create.log"), "-cp", runtimeCp));
            Process p = new ProcessBuilder(create).directory((s.hello() ? helloDir : functionDir).toFile())
                    .redirectErrorStream(true).redirectOutput(logs.resolve(slug(s.name()) + "-create.out").toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.exists(cache)) {
                throw new IllegalStateException(s.name() + ": AOT cache not created, see " + logs);
            }
            System.err.printf("AOT cache for %s: %,d bytes%n", s.name(), Files.size(cache));
            AOT_FLAGS.put(s.name(), List.of("-XX:AOTCache=" + cache));
        }
        if (AOT.equals("runtime")) {
            List<String> shared = AOT_FLAGS.get(scenarios.getFirst().name());
            scenarios.forEach(s -> AOT_FLAGS.put(s.name(), shared));
        }
    }

    static Child run(Scenario s, Path artifact, String runtimeCp, Map<String, String> functionEnv, RuntimeApi api,
            Path logs, Path classLog) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(JAVA);
        cmd.addAll(runtimeFlags());
        cmd.addAll(AOT_FLAGS.getOrDefault(s.name(), List.of()));
        if (classLog != null) {
            cmd.add("-Xlog:class+load=info:file=" + classLog);
        }
        cmd.addAll(List.of("-cp", runtimeCp, "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", s.handler()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(artifact.toFile());
        pb.environment().clear();
        pb.environment().putAll(lambdaEnv(s, api.address(), artifact));
        if (!s.hello()) {
            pb.environment().putAll(functionEnv);
        }
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(slug(s.name()) + ".out").toFile()));
        // The class-count run serves one request: its log is about the cold path.
        int requests = classLog != null ? 1 : REQUESTS;
        List<byte[]> events = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            events.add(s.event().get()); // each callback its own pending login, each logout its own session
        }
        long start = System.nanoTime();
        var outcome = api.expect(events, start, null);
        Process process = pb.start();
        api.started(process.pid());
        RuntimeApi.Outcome o;
        try {
            o = outcome.get(60 + requests, TimeUnit.SECONDS);
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            api.releaseParked();
        }
        check(s, o);
        ProcStats p = o.stats();
        if (SNAPSTART) {
            ProcStats c = o.checkpointStats();
            if (c == null) {
                throw new IllegalStateException(s.name() + ": the runtime never asked to be restored");
            }
            List<Long> cpuAt = o.cpuNanosAt().stream().map(n -> n - c.cpuNanos()).toList();
            if (THREADS) {
                System.err.printf("%s: first request after the restore, CPU by thread:%n%s", s.name(), p.threadsSince(c));
            }
            return new Child(new Sample(o.restoredNanos(), p.cpuNanos() - c.cpuNanos(), p.cpuTicksNanos() - c.cpuTicksNanos(),
                    p.peakRssKb(), o.checkpointWallNanos(), c.cpuNanos(), cpuAt, o.wallNanosAt()), 0);
        }
        return new Child(new Sample(o.wallNanos(), p.cpuNanos(), p.cpuTicksNanos(), p.peakRssKb(), 0, 0,
                o.cpuNanosAt(), o.wallNanosAt()), 0);
    }

    /** A run counts only if the handler gave every response its success path gives. */
    static void check(Scenario s, RuntimeApi.Outcome o) {
        if (o.error()) {
            throw new IllegalStateException(s.name() + ": the function failed: " + o.bodies().getLast());
        }
        for (String body : o.bodies()) {
            check(s, body);
        }
    }

    private static void check(Scenario s, String text) {
        Map<String, Object> response;
        try {
            response = JSONObjectUtils.parse(text);
        } catch (ParseException e) {
            throw new IllegalStateException(s.name() + ": response is not JSON: " + text, e);
        }
        if (s.status() == OPERATOR) {
            if (response.containsKey("error") || !text.contains(s.bodyMust())) {
                throw new IllegalStateException(s.name() + ": expected " + s.bodyMust() + " but got " + text);
            }
            return;
        }
        if (s.status() == AUTHORIZED) {
            if (!Boolean.TRUE.equals(response.get("isAuthorized")) || !text.contains(s.bodyMust())) {
                throw new IllegalStateException(s.name() + ": expected isAuthorized true but got " + text);
            }
            return;
        }
        Object status = response.get("statusCode");
        Object body = response.get("body");
        if (!(status instanceof Number n) || n.intValue() != s.status()
                || !String.valueOf(body).contains(s.bodyMust())) {
            throw new IllegalStateException(s.name() + ": expected " + s.status() + " but got " + status + " "
                    + String.valueOf(body).lines().limit(3).toList());
        }
    }

    /** What Lambda puts in every function's environment. */
    static Map<String, String> lambdaEnv(Scenario s, String runtimeApi, Path taskRoot) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin/:/bin");
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("_HANDLER", s.handler());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java25");
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("AWS_LAMBDA_FUNCTION_NAME", "bench-" + slug(s.name()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(MEMORY_MB));
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", SNAPSTART ? "snap-start" : "on-demand");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/bench");
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/11/26/[1]bench");
        env.put("AWS_LAMBDA_LOG_FORMAT", "JSON");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        // The function role's temporary credentials; moto accepts any.
        env.put("AWS_ACCESS_KEY_ID", "ASIABENCHMARKEXAMPLE");
        env.put("AWS_SECRET_ACCESS_KEY", "bench/secret/access/key/example0000000000");
        env.put("AWS_SESSION_TOKEN", "IQoJb3JpZ2luX2VjEBench");
        return env;
    }

    /** The template's Globals environment, pointed at the loopback peers. */
    static Map<String, String> functionEnv(URI issuer, String table, URI moto, Map<String, String> secrets) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OIDC_ISSUER", issuer.toString());
        env.put("GOOGLE_CLIENT_ID", LoopbackProvider.CLIENT_ID);
        env.put("GOOGLE_CLIENT_SECRET_ARN", secrets.get("clientArn"));
        env.put("SESSION_SECRET_ARN", secrets.get("sessionArn"));
        env.put("SESSION_TABLE", table);
        env.put("PUBLIC_BASE_URL", "");
        env.put("SESSION_IDLE_TIMEOUT", "PT12H");
        env.put("SESSION_MAX_AGE", "P7D");
        env.put("ALLOWED_DOMAINS", "");
        env.put("ALLOWED_EMAILS", "");
        env.put("GOOGLE_CLIENT_SECRET", "");
        env.put("SESSION_SECRET", "");
        if (PLAIN_SECRETS) {
            env.put("GOOGLE_CLIENT_SECRET_ARN", "");
            env.put("SESSION_SECRET_ARN", "");
            env.put("GOOGLE_CLIENT_SECRET", LoopbackProvider.CLIENT_SECRET);
            env.put("SESSION_SECRET", secrets.get("session"));
        }
        // Deployed, these two are the regional endpoints; here both are moto on loopback.
        env.put("DYNAMODB_ENDPOINT", moto.toString());
        env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", moto.toString());
        return env;
    }

    static Map<String, String> createSecrets(URI moto) {
        String session = "bench-session-secret-" + Long.toHexString(System.nanoTime()) + "-0123456789abcdefghijklmnop";
        try (SecretsManagerClient sm = SecretsManagerClient.builder().endpointOverride(moto).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            String suffix = Long.toHexString(System.nanoTime());
            String sessionArn = sm.createSecret(b -> b.name("bench-session-" + suffix).secretString(session)).arn();
            String clientArn = sm.createSecret(b -> b.name("bench-client-" + suffix)
                    .secretString(LoopbackProvider.CLIENT_SECRET)).arn();
            return Map.of("session", session, "sessionArn", sessionArn, "clientArn", clientArn);
        }
    }

    static void deleteTable(TestDynamoDb moto, String table) {
        try (DynamoDbClient client = moto.client()) {
            client.deleteTable(b -> b.tableName(table));
        } catch (RuntimeException e) {
            // moto goes away with this JVM anyway
        }
    }

    /** {@code /var/task} as Lambda unpacks the zip that `sam build` makes: classes at the root, jars in lib/. */
    static Path layOutFunction(Path root, Path dir) throws IOException {
        Path classes = root.resolve("functions/auth/target/classes");
        Path lib = root.resolve("functions/auth/target/lambda-lib");
        requireDir(classes, "build functions/auth first");
        requireDir(lib, "copy its runtime dependencies first (./bench does)");
        recreate(dir);
        copyTree(classes, dir);
        copyTree(lib, Files.createDirectories(dir.resolve("lib")));
        return dir;
    }

    /**
     * The hello-world function: its one class and the Lambda libraries a POJO handler ships (core, events,
     * and joda-time, which the runtime's event serializer loads from the function's classes).
     */
    static Path layOutHello(Path root, Path dir) throws IOException {
        Path classes = root.resolve("benchmarks/target/classes/app/signin/bench/hello");
        requireDir(classes, "build benchmarks first");
        recreate(dir);
        copyTree(classes, Files.createDirectories(dir.resolve("app/signin/bench/hello")));
        Path lib = Files.createDirectories(dir.resolve("lib"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (jar.getFileName().toString().matches("(aws-lambda-java-core|aws-lambda-java-events|joda-time)-.*\\.jar")) {
                Files.copy(jar, lib.resolve(jar.getFileName()));
            }
        }
        return dir;
    }

    static String classpath(Path dir) throws IOException {
        requireDir(dir, "copy the runtime interface client first (./bench does)");
        try (Stream<Path> jars = Files.list(dir)) {
            return String.join(File.pathSeparator, jars.map(Path::toString).sorted().toList());
        }
    }

    static String slug(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("-$", "");
    }

    private static void requireDir(Path dir, String hint) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(dir + " is missing: " + hint);
        }
    }

    private static void recreate(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted((a, b) -> b.compareTo(a)).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static long[] sorted(List<Long> values) {
        long[] a = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a;
    }
}
