package app.signin.log;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import app.signin.json.Json;

/**
 * Counters and timings in CloudWatch embedded metric format: each metric is one JSON log line with an
 * {@code _aws} object naming the namespace, the dimension sets and the metric, which CloudWatch Logs turns
 * into a metric as it ingests the line. No agent, no PutMetricData call, no IAM permission, and nothing
 * on the request path waits for it.
 *
 * <p>Metrics with a dimension are written under two dimension sets, none and the dimension, so an alarm can
 * watch the total (alarms need one exact metric; they cannot sum over dimension values) while a dashboard
 * breaks it down. Dimension values are reason codes or handler names only - a bounded set, since every
 * distinct value is a separately billed metric.
 */
public final class Metrics {
    public static final String DEFAULT_NAMESPACE = "SignInWithGoogle";
    /** CloudWatch's namespace rules, minus the reserved {@code AWS/} prefix. */
    public static final Pattern NAMESPACE = Pattern.compile("(?!AWS/)[A-Za-z0-9.\\-_/#:]{1,255}");

    public static final String LOGINS_STARTED = "LoginsStarted";
    public static final String LOGINS_COMPLETED = "LoginsCompleted";
    public static final String LOGINS_FAILED = "LoginsFailed";
    public static final String SESSIONS_ENDED = "SessionsEnded";
    public static final String STORE_ERRORS = "StoreErrors";
    public static final String PROVIDER_LATENCY = "ProviderLatency";

    private static final String STORE_UNAVAILABLE = "store_unavailable";

    private final Log log;
    private final String namespace;

    public Metrics(Log log, String namespace) {
        if (!NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("invalid CloudWatch namespace");
        }
        this.log = log;
        this.namespace = namespace;
    }

    /**
     * The metrics one HTTP request's outcome adds up to; {@code reason} is null on success. Called once per
     * request, in one place, so a new handler cannot forget to count its store errors.
     */
    public void requestOutcome(Function handler, String reason) {
        if (STORE_UNAVAILABLE.equals(reason)) {
            storeError(handler);
        }
        switch (handler) {
            case LOGIN -> {
                if (reason == null) {
                    count(LOGINS_STARTED);
                } else {
                    loginFailed(reason);
                }
            }
            case CALLBACK -> {
                if (reason == null) {
                    count(LOGINS_COMPLETED);
                } else {
                    loginFailed(reason);
                }
            }
            default -> {
                // Other handlers have no login metric; their store errors are counted above.
            }
        }
    }

    /** The same metrics, written to {@code log} instead. */
    public Metrics writingTo(Log log) {
        return new Metrics(log, namespace);
    }

    /** A session was deleted on request (logout). Sessions that merely expire are not counted. */
    public void sessionEnded() {
        count(SESSIONS_ENDED);
    }

    /** Several sessions ended by one request ("Sign out everywhere", an operator's call). */
    public void sessionsEnded(int count) {
        if (count > 0) {
            emit(SESSIONS_ENDED, "Count", count, null, null);
        }
    }

    /** The session store did not answer; {@code handler} names who asked. */
    public void storeError(Function handler) {
        emit(STORE_ERRORS, "Count", 1, "handler", handler.label());
    }

    /** How long one token exchange took, whatever its outcome (a timeout is latency too). */
    public void providerLatency(Duration elapsed) {
        emit(PROVIDER_LATENCY, "Milliseconds", elapsed.toMillis(), null, null);
    }

    private void loginFailed(String reason) {
        emit(LOGINS_FAILED, "Count", 1, "reason", reason);
    }

    private void count(String metric) {
        emit(metric, "Count", 1, null, null);
    }

    private void emit(String metric, String unit, long value, String dimension, String dimensionValue) {
        List<String> none = List.of();
        String dimensionSets = dimension == null
                ? "[" + Json.array(none) + "]"
                : "[" + Json.array(none) + "," + Json.array(List.of(dimension)) + "]";
        String directive = Json.object()
                .put("Namespace", namespace)
                .putRaw("Dimensions", dimensionSets)
                .putRaw("Metrics", "[" + Json.object().put("Name", metric).put("Unit", unit) + "]")
                .toString();
        Instant now = Instant.now();
        Json line = Json.object()
                .put("timestamp", Log.timestamp(now))
                .put("level", "INFO")
                .put("message", "metric " + metric)
                .putRaw("_aws", Json.object()
                        .put("Timestamp", now.toEpochMilli())
                        .putRaw("CloudWatchMetrics", "[" + directive + "]")
                        .toString())
                .put(metric, value);
        if (dimension != null) {
            line.put(dimension, dimensionValue == null ? "unknown" : dimensionValue);
        }
        log.write(line.toString());
    }
}
