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

    static final String CLIENT_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:client-AbCdEf";
    static final String SESSION_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:session-AbCdEf";
    static final String SESSION_KEY = "k".repeat(64);

    /** Both secrets from Secrets Manager, holding exactly these SecretStrings. */
    static Config loadFromSecretsManager(String clientSecretString, String sessionSecretString) {
        Map<String, String> env = valid();
        env.remove("GOOGLE_CLIENT_SECRET");
        env.remove("SESSION_SECRET");
        env.put("GOOGLE_CLIENT_SECRET_ARN", CLIENT_ARN);
        env.put("SESSION_SECRET_ARN", SESSION_ARN);
        return Config.load(env, arn -> arn.equals(CLIENT_ARN) ? clientSecretString : sessionSecretString);
    }

    @Test
    void consoleKeyValueSecrets_areRead_fromTheirDocumentedMembers() {
        // The console's key/value form stores JSON; other members (a client_id beside it) are ignored.
        Config c = loadFromSecretsManager("{\"client_id\":\"id\",\"client_secret\":\"GOCSPX-from-json\"}",
                "{\"session_secret\":\"" + SESSION_KEY + " " + "o".repeat(40) + "\"}");
        assertThat(c.clientSecret().get()).isEqualTo("GOCSPX-from-json");
        assertThat(c.sessionSecrets()).containsExactly(SESSION_KEY, "o".repeat(40));
    }

    @Test
    void plainSecrets_areReadAsTheyAre_asTheTemplateStoresAndGeneratesThem() {
        Config c = loadFromSecretsManager("GOCSPX-plain\n", SESSION_KEY);
        assertThat(c.clientSecret().get()).isEqualTo("GOCSPX-plain");
        assertThat(c.sessionSecrets()).containsExactly(SESSION_KEY);
    }

    @Test
    void aJsonSessionSecret_withoutItsMember_isRefusedAtInit_namingTheVariableAndTheShape() {
        String secret = "{\"password\":\"" + SESSION_KEY + "\"}";
        assertThatThrownBy(() -> loadFromSecretsManager("GOCSPX-plain", secret))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("SESSION_SECRET_ARN names a JSON secret without a string \"session_secret\" member")
                .hasMessageContaining("store the secret alone or as {\"session_secret\": \"<value>\"}")
                .hasMessageNotContaining(SESSION_KEY);
    }

    @Test
    void aJsonSessionSecret_withANonStringOrEmptyMember_isRefusedAtInit() {
        assertThatThrownBy(() -> loadFromSecretsManager("GOCSPX-plain", "{\"session_secret\":12345678901234567890123456789012345}"))
                .hasMessageContaining("SESSION_SECRET_ARN names a JSON secret without a string \"session_secret\" member")
                .hasMessageNotContaining("12345678901234567890123456789012345");
        assertThatThrownBy(() -> loadFromSecretsManager("GOCSPX-plain", "{\"session_secret\":\"  \"}"))
                .hasMessageContaining("SESSION_SECRET_ARN names a JSON secret whose \"session_secret\" member is empty");
    }

    @Test
    void aSessionSecretThatLooksLikeJsonButIsNotAnObject_isRefusedAtInit() {
        assertThatThrownBy(() -> loadFromSecretsManager("GOCSPX-plain", "[\"" + SESSION_KEY + "\"]"))
                .hasMessageContaining("SESSION_SECRET_ARN names a secret that looks like JSON but is not a JSON object")
                .hasMessageNotContaining(SESSION_KEY);
        assertThatThrownBy(() -> loadFromSecretsManager("GOCSPX-plain", "{\"session_secret\":\"" + SESSION_KEY))
                .hasMessageContaining("SESSION_SECRET_ARN names a secret that looks like JSON but is not a JSON object")
                .hasMessageNotContaining(SESSION_KEY);
        assertThatThrownBy(() -> loadFromSecretsManager("GOCSPX-plain", "\"" + SESSION_KEY + "\""))
                .hasMessageContaining("SESSION_SECRET_ARN names a secret that looks like JSON but is not a JSON object")
                .hasMessageNotContaining(SESSION_KEY);
        assertThatThrownBy(() -> loadFromSecretsManager("GOCSPX-plain", "{\"session_secret\":\"" + SESSION_KEY + "\"} x"))
                .hasMessageContaining("SESSION_SECRET_ARN names a secret that looks like JSON but is not a JSON object")
                .hasMessageNotContaining(SESSION_KEY);
    }

    @Test
    void aJsonClientSecret_ofTheWrongShape_isRefusedOnFirstUse_namingTheVariableAndTheShape_andRetried() {
        // The client secret is read lazily (only the callback's role may read it), so its shape is checked
        // on first use; the failure is not kept, so a corrected secret is picked up by the next use.
        Map<String, String> env = valid();
        env.remove("GOOGLE_CLIENT_SECRET");
        env.put("GOOGLE_CLIENT_SECRET_ARN", CLIENT_ARN);
        String[] stored = {"{\"secret\":\"GOCSPX-wrong-key\"}"};
        Config c = Config.load(env, arn -> stored[0]);
        assertThatThrownBy(() -> c.clientSecret().get())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("GOOGLE_CLIENT_SECRET_ARN names a JSON secret without a string \"client_secret\" member")
                .hasMessageContaining("{\"client_secret\": \"<value>\"}")
                .hasMessageNotContaining("GOCSPX-wrong-key");
        stored[0] = "{\"client_secret\":true}";
        assertThatThrownBy(() -> c.clientSecret().get())
                .hasMessageContaining("GOOGLE_CLIENT_SECRET_ARN names a JSON secret without a string \"client_secret\" member");
        stored[0] = "{\"client_secret\":\"\"}";
        assertThatThrownBy(() -> c.clientSecret().get())
                .hasMessageContaining("GOOGLE_CLIENT_SECRET_ARN names a JSON secret whose \"client_secret\" member is empty");
        stored[0] = "{\"client_secret\":\"GOCSPX-fixed\"}";
        assertThat(c.clientSecret().get()).isEqualTo("GOCSPX-fixed");
    }

    @Test
    void anEmptySecretString_isRefused() {
        assertThatThrownBy(() -> loadFromSecretsManager("GOCSPX-plain", "  "))
                .hasMessageContaining("SESSION_SECRET_ARN names a secret with no string value");
    }

    @Test
    void allowedAudiences_defaultToTheClientId_orAreTheListGiven() {
        assertThat(Config.load(valid(), NO_SECRETS).allowedAudiences()).containsExactly("id.apps.googleusercontent.com");
        Map<String, String> env = valid();
        env.put("ALLOWED_AUDIENCES", "web.apps.googleusercontent.com, android.apps.googleusercontent.com\nios");
        assertThat(Config.load(env, NO_SECRETS).allowedAudiences())
                .containsExactlyInAnyOrder("web.apps.googleusercontent.com", "android.apps.googleusercontent.com", "ios");
        env.put("ALLOWED_AUDIENCES", "ok \"quoted\"");
        assertThatThrownBy(() -> Config.load(env, NO_SECRETS)).hasMessageContaining("ALLOWED_AUDIENCES contains an invalid");
    }

    @Test
    void allowedReturnOrigins_areReadAsOrigins() {
        Map<String, String> env = valid();
        env.put("ALLOWED_RETURN_ORIGINS", "https://App.Example.com, https://b.example.com:443/ http://localhost:3000");
        assertThat(Config.load(env, NO_SECRETS).allowedReturnOrigins()).extracting(Object::toString)
                .containsExactlyInAnyOrder("https://app.example.com", "https://b.example.com", "http://localhost:3000");
        assertThat(Config.corsOrigins(env)).hasSize(3);
    }

    @Test
    void allowedReturnOrigins_withAPathWildcardPlainHttpOrUnicodeHost_areRefused_eachNamed() {
        Map<String, String> env = valid();
        env.put("ALLOWED_RETURN_ORIGINS", "https://app.example.com/path https://*.example.com http://app.example.com "
                + "https://\u0430pp.example.com https://user@app.example.com");
        assertThatThrownBy(() -> Config.load(env, NO_SECRETS))
                .hasMessageContaining("ALLOWED_RETURN_ORIGINS entry is not an origin such as https://app.example.com")
                .hasMessageContaining(": https://app.example.com/path")
                .hasMessageContaining(": https://*.example.com")
                .hasMessageContaining("ALLOWED_RETURN_ORIGINS entry must use https (http only for localhost): "
                        + "http://app.example.com")
                .hasMessageContaining(": https://?pp.example.com")
                .hasMessageContaining(": https://user@app.example.com");
        assertThatThrownBy(() -> Config.corsOrigins(env)).hasMessageContaining("ALLOWED_RETURN_ORIGINS entry");
    }

    @Test
    void cookieDomain_isReadAsABrowserReadsDomain_caseFoldedAndOneLeadingDotDropped() {
        Map<String, String> env = valid();
        env.put("PUBLIC_BASE_URL", "https://auth.example.com");
        env.put("ALLOWED_RETURN_ORIGINS", "https://app.example.com https://example.com");
        env.put("COOKIE_DOMAIN", ".Example.COM");
        assertThat(Config.load(env, NO_SECRETS).cookieDomain()).contains("example.com");
        env.put("COOKIE_DOMAIN", "");
        assertThat(Config.load(env, NO_SECRETS).cookieDomain()).isEmpty();
    }

    @Test
    void cookieDomain_thatIsNotAPlainDomainName_isRefused_namingTheVariableAndTheValue() {
        for (String bad : new String[] {"https://example.com", "example.com:443", "example.com/path", "*.example.com",
                "com", "example.com.", "..example.com", "127.0.0.1", "ex ample.com", "b\u00fccher.example",
                "-example.com", "example..com"}) {
            Map<String, String> env = valid();
            env.put("PUBLIC_BASE_URL", "https://auth.example.com");
            env.put("COOKIE_DOMAIN", bad);
            assertThatThrownBy(() -> Config.load(env, NO_SECRETS)).as(bad)
                    .hasMessageContaining("COOKIE_DOMAIN must be a domain name such as example.com")
                    .hasMessageContaining(": " + bad.replaceAll("[^\\x21-\\x7e]", "?"));
        }
    }

    @Test
    void cookieDomain_requiresASiteWithinIt_andEveryReturnOriginWithinIt() {
        Map<String, String> env = valid();
        env.put("COOKIE_DOMAIN", "example.com");
        assertThatThrownBy(() -> Config.load(env, NO_SECRETS))
                .hasMessageContaining("COOKIE_DOMAIN requires PUBLIC_BASE_URL");

        env.put("PUBLIC_BASE_URL", "https://auth.notexample.com");
        env.put("ALLOWED_RETURN_ORIGINS", "https://app.example.com https://app.example.com.evil.test http://localhost:3000");
        assertThatThrownBy(() -> Config.load(env, NO_SECRETS))
                .hasMessageContaining("PUBLIC_BASE_URL host auth.notexample.com is not within COOKIE_DOMAIN example.com")
                .hasMessageContaining("ALLOWED_RETURN_ORIGINS entry https://app.example.com.evil.test is not within "
                        + "COOKIE_DOMAIN example.com")
                .hasMessageContaining("ALLOWED_RETURN_ORIGINS entry http://localhost:3000 is not within")
                .hasMessageNotContaining("entry https://app.example.com is not");
    }
}
