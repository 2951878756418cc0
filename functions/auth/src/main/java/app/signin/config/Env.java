package app.signin.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import app.signin.net.Loopback;

/**
 * The environment as the validators read it: a blank value counts as unset (so a template default of
 * {@code ''} is harmless), values are stripped, and each parser returns its value with the messages that
 * name the variable - never the value, which may be a secret.
 */
final class Env {
    private final Map<String, String> vars;

    Env(Map<String, String> vars) {
        this.vars = vars;
    }

    Optional<String> optional(String name) {
        String v = vars.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    Checked<String> required(String name) {
        Optional<String> v = optional(name);
        return v.isPresent() ? Checked.ok(v.get()) : Checked.failed(name + " is not set");
    }

    /** Entries separated by commas or whitespace; none when unset. */
    List<String> list(String name) {
        return optional(name).map(v -> List.of(v.split("[,\\s]+"))).orElse(List.of())
                .stream().filter(s -> !s.isEmpty()).toList();
    }

    /** A positive ISO-8601 duration, or {@code dflt} when unset (and, with a message, when malformed). */
    Checked<Duration> duration(String name, Duration dflt) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return Checked.ok(dflt);
        }
        try {
            Duration d = Duration.parse(v.get());
            if (d.isNegative() || d.isZero()) {
                return Checked.of(dflt, List.of(name + " must be a positive ISO-8601 duration such as PT12H"));
            }
            return Checked.ok(d);
        } catch (DateTimeParseException e) {
            return Checked.of(dflt, List.of(name + " is not an ISO-8601 duration such as PT12H or P7D"));
        }
    }

    /** An absolute http(s) URL with a host; null with a message otherwise. */
    static Checked<URI> absoluteUrl(String name, String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            if (scheme == null || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
                return Checked.failed(name + " must be an absolute http(s) URL");
            }
            return Checked.ok(uri);
        } catch (URISyntaxException e) {
            return Checked.failed(name + " is not a valid URL");
        }
    }

    /** As {@link #absoluteUrl}, and https unless on loopback (the tests' and the local runner's hosts). */
    static Checked<URI> httpsUrl(String name, String value) {
        Checked<URI> url = absoluteUrl(name, value);
        URI uri = url.value();
        if (uri == null) {
            return url;
        }
        Checked.Collector out = Checked.collect();
        if (!"https".equals(uri.getScheme()) && !Loopback.isLoopback(uri)) {
            out.problem(name + " must use https (http is accepted only for localhost)");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            out.problem(name + " must not have a query or fragment");
        }
        return out.result(uri);
    }
}
