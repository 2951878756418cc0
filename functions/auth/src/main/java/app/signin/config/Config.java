package app.signin.config;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import app.signin.concurrent.Lazy;
import app.signin.log.Metrics;
import app.signin.net.Loopback;
import app.signin.oidc.EmailAddress;

/**
 * Everything the handlers are configured with, read once per container from environment variables and
 * validated up front. Nothing else in the code base reads {@code System.getenv}.
 *
 * <p>Every problem is collected and reported together, each naming its variable, so a misconfigured stack
 * fails its first init with one readable message instead of one error per deploy.
 */
public record Config(
        URI issuer,
        String clientId,
        Lazy<String> clientSecret,
        List<String> sessionSecrets,
        String sessionTable,
        Optional<URI> dynamoDbEndpoint,
        String awsRegion,
        Optional<URI> publicBaseUrl,
        Duration sessionIdleTimeout,
        Duration sessionMaxAge,
        Set<String> allowedDomains,
        Set<String> allowedEmails,
        String metricsNamespace) {

    public static final String OIDC_ISSUER = "OIDC_ISSUER";
    public static final String GOOGLE_CLIENT_ID = "GOOGLE_CLIENT_ID";
    public static final String GOOGLE_CLIENT_SECRET = "GOOGLE_CLIENT_SECRET";
    public static final String GOOGLE_CLIENT_SECRET_ARN = "GOOGLE_CLIENT_SECRET_ARN";
    public static final String SESSION_SECRET = "SESSION_SECRET";
    public static final String SESSION_SECRET_ARN = "SESSION_SECRET_ARN";
    public static final String SESSION_TABLE = "SESSION_TABLE";
    public static final String DYNAMODB_ENDPOINT = "DYNAMODB_ENDPOINT";
    public static final String PUBLIC_BASE_URL = "PUBLIC_BASE_URL";
    public static final String SESSION_IDLE_TIMEOUT = "SESSION_IDLE_TIMEOUT";
    public static final String SESSION_MAX_AGE = "SESSION_MAX_AGE";
    public static final String ALLOWED_DOMAINS = "ALLOWED_DOMAINS";
    public static final String ALLOWED_EMAILS = "ALLOWED_EMAILS";
    /** CloudWatch namespace of the embedded-format metrics; the template sets one per stack. */
    public static final String METRICS_NAMESPACE = "METRICS_NAMESPACE";
    /** Set by the Lambda runtime; required only when no endpoint override is given. */
    public static final String AWS_REGION = "AWS_REGION";

    public static final URI GOOGLE_ISSUER = URI.create("https://accounts.google.com");
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(12);
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);
    /** Below this a session secret is too weak to sign cookies with. */
    public static final int MIN_SECRET_LENGTH = 32;

    /** Reads the configuration; secrets given as ARNs are fetched through {@code secretFetcher}. */
    public static Config load(Map<String, String> env, Function<String, String> secretFetcher) {
        List<String> problems = new ArrayList<>();

        URI issuer = optional(env, OIDC_ISSUER)
                .map(v -> httpsUrl(OIDC_ISSUER, v, problems))
                .orElse(GOOGLE_ISSUER);
        String clientId = required(env, GOOGLE_CLIENT_ID, problems);
        SecretRef clientSecret = secretRef(env, GOOGLE_CLIENT_SECRET, GOOGLE_CLIENT_SECRET_ARN, problems);
        SecretRef sessionSecret = secretRef(env, SESSION_SECRET, SESSION_SECRET_ARN, problems);
        String table = required(env, SESSION_TABLE, problems);
        if (table != null && !table.matches("[A-Za-z0-9_.-]{3,255}")) {
            problems.add(SESSION_TABLE + " is not a valid DynamoDB table name");
        }
        Optional<URI> endpoint = optional(env, DYNAMODB_ENDPOINT).map(v -> httpUrl(DYNAMODB_ENDPOINT, v, problems));
        String region = optional(env, AWS_REGION).orElse(null);
        if (region == null) {
            if (endpoint.isPresent()) {
                region = "us-east-1"; // any region works against a local endpoint
            } else {
                problems.add(AWS_REGION + " is not set (the Lambda runtime sets it; set it when running elsewhere)");
            }
        }
        Optional<URI> baseUrl = optional(env, PUBLIC_BASE_URL).map(v -> baseUrl(v, problems));
        Duration idle = duration(env, SESSION_IDLE_TIMEOUT, DEFAULT_IDLE_TIMEOUT, problems);
        Duration maxAge = duration(env, SESSION_MAX_AGE, DEFAULT_MAX_AGE, problems);
        Set<String> domains = list(env, ALLOWED_DOMAINS).stream()
                .map(d -> d.toLowerCase(Locale.ROOT))
                .peek(d -> {
                    if (!d.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
                        problems.add(ALLOWED_DOMAINS + " contains an invalid domain: " + d);
                    }
                })
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        Set<String> emails = list(env, ALLOWED_EMAILS).stream()
                .map(e -> e.toLowerCase(Locale.ROOT))
                .peek(e -> {
                    if (!EmailAddress.isPlain(e)) {
                        problems.add(ALLOWED_EMAILS + " contains an invalid address: " + e);
                    }
                })
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        String namespace = optional(env, METRICS_NAMESPACE).orElse(Metrics.DEFAULT_NAMESPACE);
        if (!Metrics.NAMESPACE.matcher(namespace).matches()) {
            problems.add(METRICS_NAMESPACE + " is not a valid CloudWatch namespace (letters, digits and . - _ / # :, "
                    + "not starting with AWS/)");
        }

        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }

        // Only now, with every name checked, is the session secret fetched: a typo elsewhere should not
        // cost a Secrets Manager round trip before it is reported. The Google client secret is fetched on
        // first use only: index and login never need it, so their roles need no access to it.
        String sessionSecretValue = sessionSecret.resolve(secretFetcher, problems);
        List<String> sessionSecrets = sessionSecretValue == null ? List.of() : splitSecrets(sessionSecretValue, sessionSecret.name(), problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        Lazy<String> lazyClientSecret = Lazy.of(() -> {
            List<String> late = new ArrayList<>();
            String value = clientSecret.resolve(secretFetcher, late);
            if (!late.isEmpty()) {
                throw new ConfigException(late);
            }
            return value.strip();
        });
        return new Config(issuer, clientId, lazyClientSecret, sessionSecrets, table, endpoint, region, baseUrl,
                idle, maxAge, domains, emails, namespace);
    }

    /** Secret values never appear in {@code toString}, so a logged Config leaks nothing. */
    @Override
    public String toString() {
        return "Config[issuer=" + issuer + ", clientId=" + clientId + ", sessionTable=" + sessionTable
                + ", dynamoDbEndpoint=" + dynamoDbEndpoint.orElse(null) + ", region=" + awsRegion
                + ", publicBaseUrl=" + publicBaseUrl.orElse(null) + ", sessionIdleTimeout=" + sessionIdleTimeout
                + ", sessionMaxAge=" + sessionMaxAge + ", allowedDomains=" + allowedDomains
                + ", allowedEmails=" + allowedEmails.size() + " entries, sessionSecrets=" + sessionSecrets.size()
                + " keys, metricsNamespace=" + metricsNamespace + "]";
    }

    private record SecretRef(String name, String value, String arn) {
        String resolve(Function<String, String> fetcher, List<String> problems) {
            if (value != null) {
                return value;
            }
            try {
                String fetched = fetcher.apply(arn);
                if (fetched == null || fetched.isBlank()) {
                    problems.add(name + "_ARN names a secret with no string value");
                    return null;
                }
                return fetched;
            } catch (RuntimeException e) {
                // The message names the variable and the exception type only: secret material never.
                problems.add(name + "_ARN could not be read from Secrets Manager (" + e.getClass().getSimpleName() + ")");
                return null;
            }
        }
    }

    private static SecretRef secretRef(Map<String, String> env, String name, String arnName, List<String> problems) {
        Optional<String> value = optional(env, name);
        Optional<String> arn = optional(env, arnName);
        if (value.isPresent() && arn.isPresent()) {
            problems.add(name + " and " + arnName + " are both set; set exactly one");
            return new SecretRef(name, value.get(), null);
        }
        if (value.isEmpty() && arn.isEmpty()) {
            problems.add(name + " (or " + arnName + ") is not set");
            return new SecretRef(name, null, null);
        }
        if (arn.isPresent() && !arn.get().matches("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:.+")) {
            problems.add(arnName + " is not a Secrets Manager secret ARN");
        }
        return new SecretRef(name, value.orElse(null), arn.orElse(null));
    }

    private static List<String> splitSecrets(String raw, String name, List<String> problems) {
        // Several keys may be given, separated by commas or whitespace: the first signs, all verify.
        List<String> keys = new ArrayList<>();
        for (String part : raw.strip().split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.length() < MIN_SECRET_LENGTH) {
                problems.add(name + " holds a key shorter than " + MIN_SECRET_LENGTH + " characters");
            } else if (keys.contains(part)) {
                problems.add(name + " holds the same key twice");
            } else {
                keys.add(part);
            }
        }
        if (keys.isEmpty() && problems.isEmpty()) {
            problems.add(name + " is empty");
        }
        return List.copyOf(keys);
    }

    private static Optional<String> optional(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    private static String required(Map<String, String> env, String name, List<String> problems) {
        Optional<String> v = optional(env, name);
        if (v.isEmpty()) {
            problems.add(name + " is not set");
            return null;
        }
        return v.get();
    }

    private static List<String> list(Map<String, String> env, String name) {
        return optional(env, name).map(v -> List.of(v.split("[,\\s]+"))).orElse(List.of())
                .stream().filter(s -> !s.isEmpty()).toList();
    }

    private static Duration duration(Map<String, String> env, String name, Duration dflt, List<String> problems) {
        Optional<String> v = optional(env, name);
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            Duration d = Duration.parse(v.get());
            if (d.isNegative() || d.isZero()) {
                problems.add(name + " must be a positive ISO-8601 duration such as PT12H");
                return dflt;
            }
            return d;
        } catch (DateTimeParseException e) {
            problems.add(name + " is not an ISO-8601 duration such as PT12H or P7D");
            return dflt;
        }
    }

    /** The issuer must be https, except on loopback where the tests and the local runner serve it. */
    private static URI httpsUrl(String name, String value, List<String> problems) {
        URI uri = absoluteUrl(name, value, problems);
        if (uri != null && !"https".equals(uri.getScheme()) && !Loopback.isLoopback(uri)) {
            problems.add(name + " must use https (http is accepted only for localhost)");
        }
        if (uri != null && (uri.getRawQuery() != null || uri.getRawFragment() != null)) {
            problems.add(name + " must not have a query or fragment");
        }
        // The issuer is compared character for character with the ID token's iss: a trailing slash that
        // the provider does not use would pass discovery and then fail every login.
        if (uri != null && OIDC_ISSUER.equals(name) && uri.getRawPath() != null && uri.getRawPath().endsWith("/")) {
            problems.add(name + " must not end with a slash (Google's is https://accounts.google.com)");
        }
        return uri;
    }

    private static URI httpUrl(String name, String value, List<String> problems) {
        return absoluteUrl(name, value, problems);
    }

    private static URI baseUrl(String value, List<String> problems) {
        URI uri = httpsUrl(PUBLIC_BASE_URL, value, problems);
        if (uri != null) {
            String path = uri.getRawPath();
            if (path != null && !path.isEmpty() && !path.equals("/")) {
                problems.add(PUBLIC_BASE_URL + " must be an origin such as https://auth.example.com (no path)");
            }
            if (uri.getRawUserInfo() != null) {
                problems.add(PUBLIC_BASE_URL + " must not contain user info");
            }
            return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
        }
        return null;
    }

    private static URI absoluteUrl(String name, String value, List<String> problems) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            if (scheme == null || uri.getHost() == null
                    || !(scheme.equals("https") || scheme.equals("http"))) {
                problems.add(name + " must be an absolute http(s) URL");
                return null;
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            problems.add(name + " is not a valid URL");
            return null;
        }
    }
}
