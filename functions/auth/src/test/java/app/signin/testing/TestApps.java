package app.signin.testing;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import app.signin.App;
import app.signin.config.Config;
import app.signin.log.Log;
import app.signin.session.SessionStore;

/** Builds the application graph the way the Lambda container does, pointed at test peers. */
public final class TestApps {
    public static final String SESSION_SECRET = "test-session-secret-0123456789abcdefghijklmnop";

    private TestApps() {
    }

    /** The environment a deployed function would get, with the test provider and DynamoDB endpoint. */
    public static Map<String, String> env(TestProvider provider, TestDynamoDb dynamo, String table) {
        Map<String, String> env = new HashMap<>();
        env.put(Config.OIDC_ISSUER, provider.issuer().toString());
        env.put(Config.GOOGLE_CLIENT_ID, TestProvider.CLIENT_ID);
        env.put(Config.GOOGLE_CLIENT_SECRET, TestProvider.CLIENT_SECRET);
        env.put(Config.SESSION_SECRET, SESSION_SECRET);
        env.put(Config.SESSION_TABLE, table);
        env.put(Config.DYNAMODB_ENDPOINT, dynamo.endpoint().toString());
        env.put(Config.AWS_REGION, "us-east-1"); // the region TestDynamoDb creates tables in
        return env;
    }

    /** The real graph ({@link App#build}) from an environment map. */
    public static App fromEnv(Map<String, String> env) {
        return App.build(env);
    }

    /** A graph with a chosen store and clock, for tests that need to control them. */
    public static App with(Map<String, String> env, SessionStore store, Clock clock, Log log) {
        Function<String, String> noSecretsManager = arn -> {
            throw new IllegalStateException("no Secrets Manager in tests");
        };
        return new App(Config.load(env, noSecretsManager), store, clock, new SecureRandom(), log);
    }
}
