package app.signin.config;

import static app.signin.config.Config.ALLOWED_AUDIENCES;
import static app.signin.config.Config.ALLOWED_DOMAINS;
import static app.signin.config.Config.ALLOWED_EMAILS;
import static app.signin.config.Config.ALLOWED_RETURN_ORIGINS;
import static app.signin.config.Config.AWS_REGION;
import static app.signin.config.Config.COOKIE_DOMAIN;
import static app.signin.config.Config.DYNAMODB_ENDPOINT;
import static app.signin.config.Config.GOOGLE_CLIENT_ID;
import static app.signin.config.Config.GOOGLE_CLIENT_SECRET;
import static app.signin.config.Config.GOOGLE_CLIENT_SECRET_ARN;
import static app.signin.config.Config.GOOGLE_OFFLINE_ACCESS;
import static app.signin.config.Config.GOOGLE_SCOPES;
import static app.signin.config.Config.METRICS_NAMESPACE;
import static app.signin.config.Config.OIDC_ISSUER;
import static app.signin.config.Config.PUBLIC_BASE_URL;
import static app.signin.config.Config.SESSION_IDLE_TIMEOUT;
import static app.signin.config.Config.SESSION_MAX_AGE;
import static app.signin.config.Config.SESSION_SECRET;
import static app.signin.config.Config.SESSION_SECRET_ARN;
import static app.signin.config.Config.SESSION_TABLE;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import app.signin.log.Metrics;
import app.signin.net.WebOrigin;
import app.signin.oidc.EmailAddress;

/**
 * One validator per concern, after oauth2-proxy's {@code pkg/validation}: each reads its own variables and
 * returns what it read with its messages, and {@link Config#load} composes them in one place. Adding a
 * setting means adding (or extending) one validator and one line there.
 */
final class Validators {
    private Validators() {
    }

    /** The identity provider and our client at it. */
    record Client(URI issuer, String clientId) {
    }

    /** Where the two secrets come from; their values are read later (see {@link Config#load}). */
    record SecretSources(SecretRef clientSecret, SecretRef sessionSecret) {
    }

    /** The session store: table, optional local endpoint, region. */
    record Store(String table, Optional<URI> endpoint, String region) {
    }

    record SessionTiming(Duration idleTimeout, Duration maxAge) {
    }

    record Access(Set<String> domains, Set<String> emails) {
    }


    /** {@code OIDC_ISSUER} (Google's when unset) and {@code GOOGLE_CLIENT_ID}. */
    static Checked<Client> client(Env env) {
        Checked.Collector out = Checked.collect();
        URI issuer = env.optional(OIDC_ISSUER).map(v -> out.take(issuer(v))).orElse(Config.GOOGLE_ISSUER);
        String clientId = out.take(env.required(GOOGLE_CLIENT_ID));
        return out.result(new Client(issuer, clientId));
    }

    static Checked<URI> issuer(String value) {
        Checked.Collector out = Checked.collect();
        URI uri = out.take(Env.httpsUrl(OIDC_ISSUER, value));
        // The issuer is compared character for character with the ID token's iss: a trailing slash that
        // the provider does not use would pass discovery and then fail every login.
        if (uri != null && uri.getRawPath() != null && uri.getRawPath().endsWith("/")) {
            out.problem(OIDC_ISSUER + " must not end with a slash (Google's is https://accounts.google.com)");
        }
        return out.result(uri);
    }

    /** Each secret given as a value or as a Secrets Manager ARN - exactly one of the two. */
    static Checked<SecretSources> secrets(Env env) {
        Checked.Collector out = Checked.collect();
        SecretRef client = out.take(SecretRef.from(env, GOOGLE_CLIENT_SECRET, GOOGLE_CLIENT_SECRET_ARN,
                SecretRef.CLIENT_SECRET_KEY));
        SecretRef session = out.take(SecretRef.from(env, SESSION_SECRET, SESSION_SECRET_ARN,
                SecretRef.SESSION_SECRET_KEY));
        return out.result(new SecretSources(client, session));
    }

    /** {@code SESSION_TABLE}, {@code DYNAMODB_ENDPOINT} and {@code AWS_REGION}. */
    static Checked<Store> store(Env env) {
        Checked.Collector out = Checked.collect();
        String table = out.take(env.required(SESSION_TABLE));
        if (table != null && !table.matches("[A-Za-z0-9_.-]{3,255}")) {
            out.problem(SESSION_TABLE + " is not a valid DynamoDB table name");
        }
        Optional<URI> endpoint = env.optional(DYNAMODB_ENDPOINT).map(v -> out.take(Env.absoluteUrl(DYNAMODB_ENDPOINT, v)));
        String region = env.optional(AWS_REGION).orElse(null);
        if (region == null) {
            if (endpoint.isPresent()) {
                region = "us-east-1"; // any region works against a local endpoint
            } else {
                out.problem(AWS_REGION + " is not set (the Lambda runtime sets it; set it when running elsewhere)");
            }
        }
        return out.result(new Store(table, endpoint, region));
    }

    /**
     * {@code PUBLIC_BASE_URL}: an origin only, returned as browsers serialise one - scheme and host in lower
     * case, no default port (443 for https, 80 for http), no trailing slash - because the redirect URI
     * built from it must match the registered one and the {@code Origin} header is compared with it exactly.
     */
    static Checked<Optional<URI>> site(Env env) {
        Optional<String> value = env.optional(PUBLIC_BASE_URL);
        if (value.isEmpty()) {
            return Checked.ok(Optional.empty());
        }
        Checked.Collector out = Checked.collect();
        URI uri = out.take(Env.httpsUrl(PUBLIC_BASE_URL, lowerCaseSchemeAndAuthority(value.get())));
        if (uri == null) {
            return out.result(Optional.empty());
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            out.problem(PUBLIC_BASE_URL + " must be an origin such as https://auth.example.com (no path)");
        }
        if (uri.getRawUserInfo() != null) {
            out.problem(PUBLIC_BASE_URL + " must not contain user info");
        }
        int port = uri.getPort();
        boolean defaultPort = port == 443 && uri.getScheme().equals("https") || port == 80 && uri.getScheme().equals("http");
        String authority = uri.getHost() + (port == -1 || defaultPort ? "" : ":" + port);
        return out.result(Optional.of(URI.create(uri.getScheme() + "://" + authority)));
    }

    /** Scheme and host are case-insensitive (RFC 3986 6.2.2.1); browsers send them in lower case. */
    private static String lowerCaseSchemeAndAuthority(String url) {
        Matcher m = SCHEME_AND_AUTHORITY.matcher(url);
        return m.matches() ? m.group(1).toLowerCase(Locale.ROOT) + m.group(2) : url;
    }

    private static final Pattern SCHEME_AND_AUTHORITY = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^/?#]*)(.*)", Pattern.DOTALL);

    /** {@code SESSION_IDLE_TIMEOUT} and {@code SESSION_MAX_AGE}, each with its default. */
    static Checked<SessionTiming> sessionTiming(Env env) {
        Checked.Collector out = Checked.collect();
        Duration idle = out.take(env.duration(SESSION_IDLE_TIMEOUT, Config.DEFAULT_IDLE_TIMEOUT));
        Duration maxAge = out.take(env.duration(SESSION_MAX_AGE, Config.DEFAULT_MAX_AGE));
        return out.result(new SessionTiming(idle, maxAge));
    }

    /**
     * {@code ALLOWED_AUDIENCES}: the clients whose ID tokens may call the API as bearer tokens - the site's
     * own ({@code clientId}) when unset, or a list such as the web client plus an Android and an iOS
     * client. Each is compared exactly with a token's {@code aud} and {@code azp}, so it must be one
     * printable token.
     */
    static Checked<Set<String>> audiences(Env env, String clientId) {
        List<String> listed = env.list(ALLOWED_AUDIENCES);
        if (listed.isEmpty()) {
            return Checked.ok(clientId == null ? Set.of() : Set.of(clientId));
        }
        List<String> problems = new ArrayList<>();
        for (String audience : listed) {
            if (audience.length() > 255 || !audience.matches("[\\x21-\\x7e&&[^\"\\\\]]+")) {
                problems.add(ALLOWED_AUDIENCES + " contains an invalid client id (printable ASCII, at most 255 "
                        + "characters, no quotes or backslashes)");
            }
        }
        return Checked.of(Set.copyOf(listed), problems);
    }

    /**
     * {@code ALLOWED_RETURN_ORIGINS}: exact origins, each https (http only on loopback), no path, no
     * wildcard - read as a browser reads an origin ({@link WebOrigin}), so the comparison at request time
     * is between two origins, never two strings.
     */
    static Checked<Set<WebOrigin>> returnOrigins(Env env) {
        List<String> problems = new ArrayList<>();
        Set<WebOrigin> origins = new java.util.LinkedHashSet<>();
        for (String entry : env.list(ALLOWED_RETURN_ORIGINS)) {
            Optional<WebOrigin> origin = WebOrigin.parseOrigin(entry);
            String shown = entry.replaceAll("[^\\x21-\\x7e]", "?");
            if (origin.isEmpty()) {
                problems.add(ALLOWED_RETURN_ORIGINS + " entry is not an origin such as https://app.example.com "
                        + "(scheme, host and port only; no path, wildcard, user info or non-ASCII host - give an "
                        + "IDN in its xn-- form): " + shown);
            } else if (!origin.get().scheme().equals("https") && !origin.get().isLoopback()) {
                problems.add(ALLOWED_RETURN_ORIGINS + " entry must use https (http only for localhost): " + shown);
            } else {
                origins.add(origin.get());
            }
        }
        return Checked.of(Set.copyOf(origins), problems);
    }

    /**
     * {@code COOKIE_DOMAIN}, read as a browser reads a cookie's {@code Domain} attribute (RFC 6265 5.2.3):
     * case-insensitive, one leading dot ignored. Beyond that only a plain DNS name of two labels or more is
     * accepted - no scheme, port, path, wildcard, trailing dot, IP address or non-ASCII (give an IDN in its
     * {@code xn--} form) - because a browser silently drops a cookie whose Domain it will not take, and
     * every sign-in would then end signed out. The site ({@code PUBLIC_BASE_URL}, required here: without it
     * the origin is only known per request) and every {@code ALLOWED_RETURN_ORIGINS} host must lie within
     * the domain, or the cookie would not reach them. Whether the domain is a public suffix
     * ({@code co.uk}) is not checked: that needs the Public Suffix List, and browsers refuse such a cookie.
     */
    static Checked<Optional<String>> cookieDomain(Env env, Optional<URI> site, Set<WebOrigin> returnOrigins) {
        Optional<String> value = env.optional(COOKIE_DOMAIN);
        if (value.isEmpty()) {
            return Checked.ok(Optional.empty());
        }
        String raw = value.get().strip();
        String domain = (raw.startsWith(".") ? raw.substring(1) : raw).toLowerCase(Locale.ROOT);
        String shown = raw.replaceAll("[^\\x21-\\x7e]", "?");
        if (domain.length() > 253 || !COOKIE_DOMAIN_NAME.matcher(domain).matches()) {
            return Checked.of(Optional.empty(), List.of(COOKIE_DOMAIN + " must be a domain name such as example.com "
                    + "(no scheme, port, path, wildcard or IP address; an IDN in its xn-- form): " + shown));
        }
        List<String> problems = new ArrayList<>();
        if (site.isEmpty()) {
            problems.add(COOKIE_DOMAIN + " requires " + PUBLIC_BASE_URL + " (the site's host must lie within "
                    + domain + ")");
        } else if (!within(site.get().getHost(), domain)) {
            problems.add(PUBLIC_BASE_URL + " host " + site.get().getHost() + " is not within " + COOKIE_DOMAIN
                    + " " + domain);
        }
        for (WebOrigin origin : returnOrigins) {
            if (!within(origin.host(), domain)) {
                problems.add(ALLOWED_RETURN_ORIGINS + " entry " + origin + " is not within " + COOKIE_DOMAIN + " "
                        + domain + " (the session cookie would not reach it)");
            }
        }
        return Checked.of(Optional.of(domain), problems);
    }

    /** RFC 6265 5.1.3 domain-match: the host is the domain or ends with "." + domain. */
    private static boolean within(String host, String domain) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals(domain) || h.endsWith("." + domain);
    }

    /** Two or more LDH labels, the last not all digits (that would be an IPv4 address). */
    private static final Pattern COOKIE_DOMAIN_NAME = Pattern.compile(
            "([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+(?![0-9]+$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** {@code ALLOWED_DOMAINS} and {@code ALLOWED_EMAILS}, lower-cased; both empty means anyone verified. */
    static Checked<Access> access(Env env) {
        List<String> problems = new ArrayList<>();
        Set<String> domains = lowerCased(env.list(ALLOWED_DOMAINS));
        for (String d : domains) {
            if (!d.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
                problems.add(ALLOWED_DOMAINS + " contains an invalid domain: " + d);
            }
        }
        Set<String> emails = lowerCased(env.list(ALLOWED_EMAILS));
        for (String e : emails) {
            if (!EmailAddress.isPlain(e)) {
                problems.add(ALLOWED_EMAILS + " contains an invalid address: " + e);
            }
        }
        return Checked.of(new Access(domains, emails), problems);
    }

    /** Above this many extra scopes the consent screen (and the URL) is unreasonable; Google's own apps ask for a few. */
    static final int MAX_EXTRA_SCOPES = 20;
    /** Google's longest scopes are URLs of about 80 characters. */
    static final int MAX_SCOPE_LENGTH = 256;
    /** RFC 6749 section 3.3: {@code scope-token = 1*( %x21 / %x23-5B / %x5D-7E )}. */
    private static final java.util.regex.Pattern SCOPE_TOKEN = java.util.regex.Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    /**
     * {@code GOOGLE_SCOPES} (extra scopes, separated by spaces or commas) and {@code GOOGLE_OFFLINE_ACCESS}
     * ({@code true} or {@code false}, default false). A scope must be an RFC 6749 scope-token; the base
     * scopes are always requested, so listing one - in any case - is reported rather than silently doubled.
     */
    static Checked<GoogleApiAccess> googleApi(Env env) {
        Checked.Collector out = Checked.collect();
        List<String> scopes = new ArrayList<>();
        for (String scope : env.list(GOOGLE_SCOPES)) {
            if (scope.length() > MAX_SCOPE_LENGTH) {
                out.problem(GOOGLE_SCOPES + " contains a scope longer than " + MAX_SCOPE_LENGTH + " characters");
            } else if (!SCOPE_TOKEN.matcher(scope).matches()) {
                out.problem(GOOGLE_SCOPES + " contains a scope with characters RFC 6749 does not allow (quotes, "
                        + "backslashes or non-ASCII): " + scope.replaceAll("[^\\x21-\\x7E]", "?"));
            } else if (GoogleApiAccess.BASE_SCOPES.stream().anyMatch(scope::equalsIgnoreCase)) {
                // Ignoring case: OPENID or Email would otherwise go out beside openid and email, a second
                // spelling of a scope that is requested anyway.
                out.problem(GOOGLE_SCOPES + " need not list " + scope + ": openid email profile are always requested");
            } else if (scopes.contains(scope)) {
                out.problem(GOOGLE_SCOPES + " lists " + scope + " twice");
            } else {
                scopes.add(scope);
            }
        }
        if (scopes.size() > MAX_EXTRA_SCOPES) {
            out.problem(GOOGLE_SCOPES + " lists more than " + MAX_EXTRA_SCOPES + " scopes");
        }
        boolean offline = false;
        Optional<String> flag = env.optional(GOOGLE_OFFLINE_ACCESS);
        if (flag.isPresent()) {
            String v = flag.get().toLowerCase(Locale.ROOT);
            if (v.equals("true")) {
                offline = true;
            } else if (!v.equals("false")) {
                out.problem(GOOGLE_OFFLINE_ACCESS + " must be true or false");
            }
        }
        return out.result(new GoogleApiAccess(scopes, offline));
    }

    /** {@code METRICS_NAMESPACE}, {@link Metrics#DEFAULT_NAMESPACE} when unset. */
    static Checked<String> metrics(Env env) {
        String namespace = env.optional(METRICS_NAMESPACE).orElse(Metrics.DEFAULT_NAMESPACE);
        if (!Metrics.NAMESPACE.matcher(namespace).matches()) {
            return Checked.of(namespace, List.of(METRICS_NAMESPACE + " is not a valid CloudWatch namespace "
                    + "(letters, digits and . - _ / # :, not starting with AWS/)"));
        }
        return Checked.ok(namespace);
    }

    /** The session keys held by the session secret's value: the first signs, all verify. */
    static Checked<List<String>> sessionKeys(String raw, String name) {
        // Several keys may be given, separated by commas or whitespace.
        List<String> keys = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String part : raw.strip().split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.length() < Config.MIN_SECRET_LENGTH) {
                problems.add(name + " holds a key shorter than " + Config.MIN_SECRET_LENGTH + " characters");
            } else if (keys.contains(part)) {
                problems.add(name + " holds the same key twice");
            } else {
                keys.add(part);
            }
        }
        if (keys.isEmpty() && problems.isEmpty()) {
            problems.add(name + " is empty");
        }
        return Checked.of(List.copyOf(keys), problems);
    }

    private static Set<String> lowerCased(List<String> values) {
        return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }
}
