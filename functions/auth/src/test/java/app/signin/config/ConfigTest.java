package app.signin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

class ConfigTest {
    static final Function<String, String> NO_SECRETS = arn -> {
        throw new IllegalStateException("unexpected fetch");
    };

    static Map<String, String> valid() {
        Map<String, String> env = new HashMap<>();
        env.put("GOOGLE_CLIENT_ID", "id.apps.googleusercontent.com");
        env.put("GOOGLE_CLIENT_SECRET", "client-secret");
        env.put("SESSION_SECRET", "s".repeat(40));
        env.put("SESSION_TABLE", "sessions");
        env.put("AWS_REGION", "eu-west-1");
        return env;
    }

    @Test
    void validEnvironment_loadsWithGoogleDefaults() {
        Config c = Config.load(valid(), NO_SECRETS);
        assertThat(c.issuer()).isEqualTo(URI.create("https://accounts.google.com"));
        assertThat(c.sessionIdleTimeout()).isEqualTo(Duration.ofHours(12));
        assertThat(c.sessionMaxAge()).isEqualTo(Duration.ofDays(7));
        assertThat(c.clientSecret().get()).isEqualTo("client-secret");
        assertThat(c.toString()).doesNotContain("client-secret").doesNotContain("s".repeat(40));
    }

    @Test
    void everyProblem_isReportedTogether_namingEachVariable() {
        Map<String, String> env = new HashMap<>();
        env.put("OIDC_ISSUER", "http://evil.example");
        env.put("SESSION_SECRET", "short");
        env.put("PUBLIC_BASE_URL", "https://x.example/path");
        env.put("SESSION_IDLE_TIMEOUT", "12 hours");
        assertThatThrownBy(() -> Config.load(env, NO_SECRETS))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("OIDC_ISSUER must use https")
                .hasMessageContaining("GOOGLE_CLIENT_ID is not set")
                .hasMessageContaining("GOOGLE_CLIENT_SECRET (or GOOGLE_CLIENT_SECRET_ARN) is not set")
                .hasMessageContaining("SESSION_TABLE is not set")
                .hasMessageContaining("AWS_REGION is not set")
                .hasMessageContaining("PUBLIC_BASE_URL must be an origin")
                .hasMessageContaining("SESSION_IDLE_TIMEOUT is not an ISO-8601 duration");
    }

    @Test
    void shortSessionSecret_isRefused_withoutEchoingIt() {
        Map<String, String> env = valid();
        env.put("SESSION_SECRET", "too-short-secret");
        assertThatThrownBy(() -> Config.load(env, NO_SECRETS))
                .hasMessageContaining("SESSION_SECRET holds a key shorter than 32")
                .hasMessageNotContaining("too-short-secret");
    }

    @Test
    void bothSecretForms_areRefused() {
        Map<String, String> env = valid();
        env.put("GOOGLE_CLIENT_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:g-AbCdEf");
        assertThatThrownBy(() -> Config.load(env, NO_SECRETS))
                .hasMessageContaining("GOOGLE_CLIENT_SECRET and GOOGLE_CLIENT_SECRET_ARN are both set");
    }

    @Test
    void secretArns_areReadThroughTheFetcher_clientSecretOnlyOnFirstUse() {
        Map<String, String> env = valid();
        env.remove("GOOGLE_CLIENT_SECRET");
        env.remove("SESSION_SECRET");
        env.put("GOOGLE_CLIENT_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:client-AbCdEf");
        env.put("SESSION_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:session-AbCdEf");
        AtomicInteger clientFetches = new AtomicInteger();
        Config c = Config.load(env, arn -> {
            if (arn.contains(":client-")) {
                clientFetches.incrementAndGet();
                return "from-secrets-manager";
            }
            return "k".repeat(64) + " " + "o".repeat(64);
        });
        assertThat(c.sessionSecrets()).hasSize(2);
        assertThat(clientFetches).hasValue(0);
        assertThat(c.clientSecret().get()).isEqualTo("from-secrets-manager");
        assertThat(c.clientSecret().get()).isEqualTo("from-secrets-manager");
        assertThat(clientFetches).hasValue(1);
    }

    @Test
    void emptyValues_countAsUnset_soTemplateDefaultsOfEmptyStringAreHarmless() {
        Map<String, String> env = valid();
        env.put("PUBLIC_BASE_URL", "");
        env.put("DYNAMODB_ENDPOINT", "");
        env.put("GOOGLE_CLIENT_SECRET_ARN", "");
        Config c = Config.load(env, NO_SECRETS);
        assertThat(c.publicBaseUrl()).isEmpty();
        assertThat(c.dynamoDbEndpoint()).isEmpty();
    }

    @Test
    void loopbackIssuerOverHttp_isAllowedForLocalRuns() {
        Map<String, String> env = valid();
        env.put("OIDC_ISSUER", "http://localhost:8080/default");
        assertThat(Config.load(env, NO_SECRETS).issuer().toString()).isEqualTo("http://localhost:8080/default");
    }

    @Test
    void issuerWithATrailingSlash_isRefused_becauseIdTokensCompareIssExactly() {
        Map<String, String> env = valid();
        env.put("OIDC_ISSUER", "https://accounts.google.com/");
        assertThatThrownBy(() -> Config.load(env, NO_SECRETS)).hasMessageContaining("OIDC_ISSUER must not end with a slash");
    }

    @Test
    void onlyRealLoopbackHosts_mayUsePlainHttp() {
        // Which hosts are loopback is proven in LoopbackTest; here, that the issuer check asks that rule.
        Map<String, String> env = valid();
        env.put("OIDC_ISSUER", "http://127.evil.example/issuer");
        assertThatThrownBy(() -> Config.load(env, NO_SECRETS)).hasMessageContaining("OIDC_ISSUER must use https");
    }
}
