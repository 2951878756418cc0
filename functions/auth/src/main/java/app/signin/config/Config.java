package app.signin.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import app.signin.concurrent.Lazy;
import app.signin.net.WebOrigin;

/**
 * Everything the handlers are configured with, read once per container from environment variables and
 * validated up front. Nothing else in the code base reads {@code System.getenv}.
 *
 * <p>Each concern has its own validator ({@link Validators}); {@link #load} composes them, so every problem
 * is reported together, each naming its variable, and a misconfigured stack fails its first init with one
 * readable message instead of one error per deploy.
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
        Set<String> allowedAudiences,
        Set<WebOrigin> allowedReturnOrigins,
        Optional<String> cookieDomain,
        String metricsNamespace,
        Branding branding,
        GoogleApiAccess googleApi) {

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
    /** OAuth client ids whose Google ID tokens the API accepts as bearer tokens; default GOOGLE_CLIENT_ID. */
    public static final String ALLOWED_AUDIENCES = "ALLOWED_AUDIENCES";
    /** Exact origins of sibling sites: return_to targets and the browsers' origins CORS admits to /api/me. */
    public static final String ALLOWED_RETURN_ORIGINS = "ALLOWED_RETURN_ORIGINS";
    /**
     * The domain the session cookie is shared with ({@code example.com}): sibling sites' own backends then
     * see it. Requires PUBLIC_BASE_URL; that host and every ALLOWED_RETURN_ORIGINS host must lie within it.
     */
    public static final String COOKIE_DOMAIN = "COOKIE_DOMAIN";
    /** CloudWatch namespace of the embedded-format metrics; the template sets one per stack. */
    public static final String METRICS_NAMESPACE = "METRICS_NAMESPACE";
    /** Extra OAuth scopes for Google APIs called for the user, beyond openid email profile. */
    public static final String GOOGLE_SCOPES = "GOOGLE_SCOPES";
    /** {@code true}: ask for a refresh token, so calls for the user keep working after the first hour. */
    public static final String GOOGLE_OFFLINE_ACCESS = "GOOGLE_OFFLINE_ACCESS";
    /** Set by the Lambda runtime; required only when no endpoint override is given. */
    public static final String AWS_REGION = "AWS_REGION";

    public static final URI GOOGLE_ISSUER = URI.create("https://accounts.google.com");
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(12);
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);
    /** Below this a session secret is too weak to sign cookies with. */
    public static final int MIN_SECRET_LENGTH = 32;

    /** Reads the configuration; secrets given as ARNs are fetched through {@code secretFetcher}. */
    public static Config load(Map<String, String> env, Function<String, String> secretFetcher) {
        Env vars = new Env(env);
        Checked.Collector problems = Checked.collect();
        Validators.Client client = problems.take(Validators.client(vars));
        Validators.SecretSources secrets = problems.take(Validators.secrets(vars));
        Validators.Store store = problems.take(Validators.store(vars));
        Optional<URI> publicBaseUrl = problems.take(Validators.site(vars));
        Validators.SessionTiming timing = problems.take(Validators.sessionTiming(vars));
        Validators.Access access = problems.take(Validators.access(vars));
        Set<String> audiences = problems.take(Validators.audiences(vars, client.clientId()));
        Set<WebOrigin> returnOrigins = problems.take(Validators.returnOrigins(vars));
        Optional<String> cookieDomain = problems.take(Validators.cookieDomain(vars, publicBaseUrl, returnOrigins));
        String metricsNamespace = problems.take(Validators.metrics(vars));
        Branding branding = problems.take(Branding.validate(vars));
        GoogleApiAccess googleApi = problems.take(Validators.googleApi(vars));
        throwIfAny(problems);

        // Only now, with every name checked, is the session secret fetched: a typo elsewhere should not
        // cost a Secrets Manager round trip before it is reported.
        SecretRef session = secrets.sessionSecret();
        String sessionSecret = problems.take(session.resolve(secretFetcher));
        List<String> sessionKeys = sessionSecret == null ? List.of()
                : problems.take(Validators.sessionKeys(sessionSecret, session.name()));
        throwIfAny(problems);

        // The Google client secret is fetched on first use only: index and login never need it, so their
        // roles need no access to it. A failed read is not kept; the next use tries again.
        SecretRef clientSecretRef = secrets.clientSecret();
        Lazy<String> clientSecret = Lazy.of(() -> {
            Checked<String> value = clientSecretRef.resolve(secretFetcher);
            if (!value.problems().isEmpty()) {
                throw new ConfigException(value.problems());
            }
            return value.value().strip();
        });
        return new Config(client.issuer(), client.clientId(), clientSecret, sessionKeys, store.table(),
                store.endpoint(), store.region(), publicBaseUrl, timing.idleTimeout(), timing.maxAge(),
                access.domains(), access.emails(), audiences, returnOrigins, cookieDomain,
                metricsNamespace, branding, googleApi);
    }

    /**
     * Only the branding, for a function that shows a page but needs nothing else (the 404 of unknown
     * paths): no secret is read, so its role needs no permission, and a problem elsewhere cannot break it.
     */
    public static Branding brandingFromEnvironment() {
        Checked<Branding> branding = Branding.validate(new Env(System.getenv()));
        if (!branding.problems().isEmpty()) {
            throw new ConfigException(branding.problems());
        }
        return branding.value();
    }

    /**
     * {@code ALLOWED_RETURN_ORIGINS} alone, for a function that needs nothing else (the CORS preflight of
     * {@code /api/me}, which has no secret and no table). Throws with the same messages as {@link #load}.
     */
    public static Set<WebOrigin> corsOriginsFromEnvironment() {
        return corsOrigins(System.getenv());
    }

    /** {@link #corsOriginsFromEnvironment} over a given environment. */
    public static Set<WebOrigin> corsOrigins(Map<String, String> env) {
        Checked<Set<WebOrigin>> origins = Validators.returnOrigins(new Env(env));
        if (!origins.problems().isEmpty()) {
            throw new ConfigException(origins.problems());
        }
        return origins.value();
    }

    private static void throwIfAny(Checked.Collector problems) {
        if (problems.hasProblems()) {
            throw new ConfigException(problems.result(null).problems());
        }
    }

    /** Secret values never appear in {@code toString}, so a logged Config leaks nothing. */
    @Override
    public String toString() {
        return "Config[issuer=" + issuer + ", clientId=" + clientId + ", sessionTable=" + sessionTable
                + ", dynamoDbEndpoint=" + dynamoDbEndpoint.orElse(null) + ", region=" + awsRegion
                + ", publicBaseUrl=" + publicBaseUrl.orElse(null) + ", sessionIdleTimeout=" + sessionIdleTimeout
                + ", sessionMaxAge=" + sessionMaxAge + ", allowedDomains=" + allowedDomains
                + ", allowedEmails=" + allowedEmails.size() + " entries, allowedAudiences=" + allowedAudiences
                + ", allowedReturnOrigins=" + allowedReturnOrigins + ", cookieDomain=" + cookieDomain.orElse(null)
                + ", sessionSecrets=" + sessionSecrets.size()
                + " keys, metricsNamespace=" + metricsNamespace + ", branding=" + branding + ", googleScope="
                + googleApi.scope() + ", googleOfflineAccess=" + googleApi.offlineAccess() + "]";
    }
}
