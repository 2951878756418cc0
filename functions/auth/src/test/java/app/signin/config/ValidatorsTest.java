package app.signin.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each validator alone: what it reads, and the messages it returns for what is wrong. */
class ValidatorsTest {

    static Env env(String... pairs) {
        Map<String, String> vars = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            vars.put(pairs[i], pairs[i + 1]);
        }
        return new Env(vars);
    }

    @Nested
    class Client {
        @Test
        void unsetIssuer_isGoogles_andAMissingClientId_isNamed() {
            Checked<Validators.Client> c = Validators.client(env());
            assertThat(c.value().issuer()).isEqualTo(Config.GOOGLE_ISSUER);
            assertThat(c.problems()).containsExactly("GOOGLE_CLIENT_ID is not set");
        }

        @Test
        void anIssuerOverHttpWithAQueryAndATrailingSlash_getsOneMessagePerFault() {
            Checked<Validators.Client> c = Validators.client(env(
                    "OIDC_ISSUER", "http://issuer.example/?x=1", "GOOGLE_CLIENT_ID", "id"));
            assertThat(c.problems()).containsExactly(
                    "OIDC_ISSUER must use https (http is accepted only for localhost)",
                    "OIDC_ISSUER must not have a query or fragment",
                    "OIDC_ISSUER must not end with a slash (Google's is https://accounts.google.com)");
        }

        @Test
        void aValidClient_hasNoMessages() {
            Checked<Validators.Client> c = Validators.client(env(
                    "OIDC_ISSUER", "https://login.example/tenant", "GOOGLE_CLIENT_ID", "id"));
            assertThat(c.problems()).isEmpty();
            assertThat(c.value()).isEqualTo(new Validators.Client(URI.create("https://login.example/tenant"), "id"));
        }
    }

    @Nested
    class Site {
        @Test
        void unset_isNoPublicBaseUrl() {
            assertThat(Validators.site(env())).isEqualTo(Checked.ok(Optional.empty()));
        }

        @Test
        void anOriginWithATrailingSlash_isKeptWithoutIt() {
            Checked<Optional<URI>> c = Validators.site(env("PUBLIC_BASE_URL", "https://auth.example.com/"));
            assertThat(c.problems()).isEmpty();
            assertThat(c.value()).contains(URI.create("https://auth.example.com"));
        }

        @Test
        void anUpperCaseSchemeOrHost_andADefaultPort_areNormalisedToWhatBrowsersSend() {
            assertThat(Validators.site(env("PUBLIC_BASE_URL", "HTTPS://Auth.Example.COM:443/")).value())
                    .contains(URI.create("https://auth.example.com"));
            assertThat(Validators.site(env("PUBLIC_BASE_URL", "http://LocalHost:80")).value())
                    .contains(URI.create("http://localhost"));
        }

        @Test
        void aPortOtherThanTheSchemesDefault_isKept() {
            assertThat(Validators.site(env("PUBLIC_BASE_URL", "https://auth.example.com:8443")).value())
                    .contains(URI.create("https://auth.example.com:8443"));
            assertThat(Validators.site(env("PUBLIC_BASE_URL", "http://localhost:443")).value())
                    .contains(URI.create("http://localhost:443"));
        }

        @Test
        void aPathAndUserInfo_areEachNamed() {
            Checked<Optional<URI>> c = Validators.site(env("PUBLIC_BASE_URL", "https://me@auth.example.com/app"));
            assertThat(c.problems()).containsExactly(
                    "PUBLIC_BASE_URL must be an origin such as https://auth.example.com (no path)",
                    "PUBLIC_BASE_URL must not contain user info");
        }

        @Test
        void notAUrl_isNamed() {
            assertThat(Validators.site(env("PUBLIC_BASE_URL", "auth.example.com")).problems())
                    .containsExactly("PUBLIC_BASE_URL must be an absolute http(s) URL");
        }
    }

    @Nested
    class SessionTiming {
        @Test
        void unset_isTheDefaults() {
            Checked<Validators.SessionTiming> c = Validators.sessionTiming(env());
            assertThat(c.problems()).isEmpty();
            assertThat(c.value()).isEqualTo(new Validators.SessionTiming(Duration.ofHours(12), Duration.ofDays(7)));
        }

        @Test
        void aMalformedAndANegativeDuration_areEachNamed() {
            Checked<Validators.SessionTiming> c = Validators.sessionTiming(env(
                    "SESSION_IDLE_TIMEOUT", "12h", "SESSION_MAX_AGE", "-P1D"));
            assertThat(c.problems()).containsExactly(
                    "SESSION_IDLE_TIMEOUT is not an ISO-8601 duration such as PT12H or P7D",
                    "SESSION_MAX_AGE must be a positive ISO-8601 duration such as PT12H");
        }
    }

    @Nested
    class Access {
        @Test
        void entries_areLowerCased_andSplitOnCommasAndSpaces() {
            Checked<Validators.Access> c = Validators.access(env(
                    "ALLOWED_DOMAINS", "Example.COM, corp.example", "ALLOWED_EMAILS", "Alice@Example.com bob@x.example"));
            assertThat(c.problems()).isEmpty();
            assertThat(c.value().domains()).containsExactlyInAnyOrder("example.com", "corp.example");
            assertThat(c.value().emails()).containsExactlyInAnyOrder("alice@example.com", "bob@x.example");
        }

        @Test
        void anInvalidDomainAndAnInvalidAddress_areEachNamed() {
            Checked<Validators.Access> c = Validators.access(env(
                    "ALLOWED_DOMAINS", "localhost", "ALLOWED_EMAILS", "a@b@example.com"));
            assertThat(c.problems()).containsExactly(
                    "ALLOWED_DOMAINS contains an invalid domain: localhost",
                    "ALLOWED_EMAILS contains an invalid address: a@b@example.com");
        }
    }

    @Nested
    class Store {
        @Test
        void aLocalEndpoint_needsNoRegion() {
            Checked<Validators.Store> c = Validators.store(env(
                    "SESSION_TABLE", "sessions", "DYNAMODB_ENDPOINT", "http://localhost:5600"));
            assertThat(c.problems()).isEmpty();
            assertThat(c.value().region()).isEqualTo("us-east-1");
        }

        @Test
        void noTableAndNoRegion_areEachNamed() {
            assertThat(Validators.store(env()).problems()).containsExactly(
                    "SESSION_TABLE is not set",
                    "AWS_REGION is not set (the Lambda runtime sets it; set it when running elsewhere)");
        }

        @Test
        void anInvalidTableNameAndEndpoint_areEachNamed() {
            assertThat(Validators.store(env("SESSION_TABLE", "a b", "DYNAMODB_ENDPOINT", "localhost:5600",
                    "AWS_REGION", "eu-west-1")).problems()).containsExactly(
                            "SESSION_TABLE is not a valid DynamoDB table name",
                            "DYNAMODB_ENDPOINT must be an absolute http(s) URL");
        }
    }

    @Nested
    class Secrets {
        @Test
        void neitherForm_andBothForms_areNamed() {
            assertThat(Validators.secrets(env("SESSION_SECRET", "s".repeat(32),
                    "SESSION_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:s-AbCdEf")).problems())
                    .containsExactly("GOOGLE_CLIENT_SECRET (or GOOGLE_CLIENT_SECRET_ARN) is not set",
                            "SESSION_SECRET and SESSION_SECRET_ARN are both set; set exactly one");
        }

        @Test
        void anArnOfAnotherService_isNamed() {
            assertThat(Validators.secrets(env("GOOGLE_CLIENT_SECRET_ARN", "arn:aws:ssm:eu-west-1:123456789012:parameter/x",
                    "SESSION_SECRET", "s".repeat(32))).problems())
                    .containsExactly("GOOGLE_CLIENT_SECRET_ARN is not a Secrets Manager secret ARN");
        }

        @Test
        void sessionKeys_areSplit_andShortOrRepeatedKeysNamedWithoutQuotingThem() {
            String a = "a".repeat(32);
            assertThat(Validators.sessionKeys(a + ", " + "b".repeat(40), "SESSION_SECRET"))
                    .isEqualTo(Checked.ok(List.of(a, "b".repeat(40))));
            Checked<List<String>> bad = Validators.sessionKeys(a + " " + a + " short-key", "SESSION_SECRET");
            assertThat(bad.problems()).containsExactly("SESSION_SECRET holds the same key twice",
                    "SESSION_SECRET holds a key shorter than 32 characters");
            assertThat(String.join(" ", bad.problems())).doesNotContain(a).doesNotContain("short-key");
            assertThat(Validators.sessionKeys(" , ", "SESSION_SECRET").problems()).containsExactly("SESSION_SECRET is empty");
        }
    }

    @Nested
    class Metrics {
        @Test
        void unset_isTheDefaultNamespace() {
            assertThat(Validators.metrics(env())).isEqualTo(Checked.ok(app.signin.log.Metrics.DEFAULT_NAMESPACE));
        }

        @Test
        void anAwsNamespace_isRefused() {
            assertThat(Validators.metrics(env("METRICS_NAMESPACE", "AWS/Lambda")).problems()).containsExactly(
                    "METRICS_NAMESPACE is not a valid CloudWatch namespace (letters, digits and . - _ / # :, "
                            + "not starting with AWS/)");
        }
    }

    @Nested
    class GoogleApi {
        @Test
        void unset_isIdentityOnly_withoutOfflineAccess() {
            Checked<GoogleApiAccess> c = Validators.googleApi(env());
            assertThat(c.problems()).isEmpty();
            assertThat(c.value()).isEqualTo(GoogleApiAccess.NONE);
            assertThat(c.value().scope()).isEqualTo("openid email profile");
        }

        @Test
        void extraScopes_followTheBaseOnes_splitOnSpacesAndCommas_andOfflineAccessIsRead() {
            Checked<GoogleApiAccess> c = Validators.googleApi(env("GOOGLE_SCOPES",
                    "https://www.googleapis.com/auth/calendar.readonly, https://www.googleapis.com/auth/drive.file",
                    "GOOGLE_OFFLINE_ACCESS", "TRUE"));
            assertThat(c.problems()).isEmpty();
            assertThat(c.value().scope()).isEqualTo("openid email profile "
                    + "https://www.googleapis.com/auth/calendar.readonly https://www.googleapis.com/auth/drive.file");
            assertThat(c.value().offlineAccess()).isTrue();
        }

        @Test
        void aBaseScope_aRepeatedScope_aQuoteOrNonAscii_andABadFlag_areEachNamed() {
            Checked<GoogleApiAccess> c = Validators.googleApi(env("GOOGLE_SCOPES",
                    "email https://x.example/a https://x.example/a say\"hi\" caf\u00e9",
                    "GOOGLE_OFFLINE_ACCESS", "yes"));
            assertThat(c.problems()).containsExactly(
                    "GOOGLE_SCOPES need not list email: openid email profile are always requested",
                    "GOOGLE_SCOPES lists https://x.example/a twice",
                    "GOOGLE_SCOPES contains a scope with characters RFC 6749 does not allow (quotes, backslashes "
                            + "or non-ASCII): say\"hi\"",
                    "GOOGLE_SCOPES contains a scope with characters RFC 6749 does not allow (quotes, backslashes "
                            + "or non-ASCII): caf?",
                    "GOOGLE_OFFLINE_ACCESS must be true or false");
        }

        @Test
        void aBaseScopeInAnotherCase_isNamedAsABaseScope() {
            Checked<GoogleApiAccess> c = Validators.googleApi(env("GOOGLE_SCOPES", "OPENID Email https://x.example/a"));

            assertThat(c.problems()).containsExactly(
                    "GOOGLE_SCOPES need not list OPENID: openid email profile are always requested",
                    "GOOGLE_SCOPES need not list Email: openid email profile are always requested");
        }

        @Test
        void anOverlongScope_andTooManyScopes_areNamed() {
            StringBuilder many = new StringBuilder();
            for (int i = 0; i <= Validators.MAX_EXTRA_SCOPES; i++) {
                many.append("scope-").append(i).append(' ');
            }
            assertThat(Validators.googleApi(env("GOOGLE_SCOPES", many.toString())).problems())
                    .containsExactly("GOOGLE_SCOPES lists more than 20 scopes");
            assertThat(Validators.googleApi(env("GOOGLE_SCOPES", "s".repeat(257))).problems())
                    .containsExactly("GOOGLE_SCOPES contains a scope longer than 256 characters");
        }
    }
}
