package app.signin.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.util.JSONObjectUtils;

import app.signin.json.Json;
import app.signin.log.Function;
import app.signin.log.Log;
import app.signin.log.Metrics;

/** The shape of log and metric lines, read back with a real JSON parser. */
class LogFormatTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final Log log = new Log(new PrintStream(out, true, StandardCharsets.UTF_8));

    List<Map<String, Object>> lines() throws java.text.ParseException {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            lines.add(JSONObjectUtils.parse(line));
        }
        return lines;
    }

    @Test
    void requestLine_hasLambdasFieldsAndOurs_andTheLevelFollowsTheOutcome() throws Exception {
        log.request(Function.CALLBACK, "Rk3Hq8MJjoEEJdA=", 303, "ok", null, null);
        log.request(Function.CALLBACK, "Rk3Hq8MJjoEEJdB=", 400, "rejected", "state_mismatch", "no binding cookie");
        log.request(Function.INDEX, "Rk3Hq8MJjoEEJdC=", 503, "rejected", "store_unavailable", null);

        List<Map<String, Object>> lines = lines();
        assertThat(lines.get(0)).containsEntry("level", "INFO").containsEntry("message", "callback ok")
                .containsEntry("requestId", "Rk3Hq8MJjoEEJdA=").containsEntry("handler", "callback")
                .containsEntry("outcome", "ok").doesNotContainKey("reason").containsKey("timestamp");
        assertThat(lines.get(1)).containsEntry("level", "WARN").containsEntry("reason", "state_mismatch")
                .containsEntry("message", "no binding cookie");
        assertThat(lines.get(2)).containsEntry("level", "ERROR");
    }

    @Test
    void lineWithHostileText_staysOneValidJsonObject() throws Exception {
        log.request(Function.LOGIN, "id", 400, "rejected", "bad_request", "quote \" backslash \\ newline \n tab \t "
                + "nul \u0000 </script> lone \ud800 end");

        String raw = out.toString(StandardCharsets.UTF_8);
        assertThat(raw.strip()).doesNotContain("\n").doesNotContain("</script>");
        assertThat(lines()).singleElement().satisfies(l -> assertThat((String) l.get("message"))
                .startsWith("quote \" backslash \\ newline \n tab \t nul \u0000 </script> lone "));
    }

    @Test
    void json_escapesWhatCouldEndAStringOrAScript() {
        assertThat(Json.string("a\"b\\c\u001fd<e>&\u2028")).isEqualTo("\"a\\\"b\\\\c\\u001fd\\u003ce\\u003e\\u0026\\u2028\"");
        assertThat(Json.string("José 😀")).isEqualTo("\"José 😀\""); // paired surrogates stay as they are
        assertThat(Json.object().put("a", (String) null).put("n", 3).put("b", true).toString())
                .isEqualTo("{\"a\":null,\"n\":3,\"b\":true}");
    }

    @Test
    void metric_isEmbeddedMetricFormat_withATotalAndAPerReasonDimensionSet() throws Exception {
        Metrics metrics = new Metrics(log, "SignInWithGoogle/prod");

        metrics.requestOutcome(Function.CALLBACK, "id_token_invalid");

        Map<String, Object> line = lines().getFirst();
        assertThat(line).containsEntry("LoginsFailed", 1L).containsEntry("reason", "id_token_invalid")
                .containsKeys("timestamp", "level", "message");
        Map<String, Object> aws = JSONObjectUtils.getJSONObject(line, "_aws");
        assertThat(aws.get("Timestamp")).isInstanceOf(Long.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> directive = (Map<String, Object>) ((List<?>) aws.get("CloudWatchMetrics")).getFirst();
        assertThat(directive).containsEntry("Namespace", "SignInWithGoogle/prod")
                .containsEntry("Dimensions", List.of(List.of(), List.of("reason")))
                .containsEntry("Metrics", List.of(Map.of("Name", "LoginsFailed", "Unit", "Count")));
    }

    @Test
    void outcomes_addUpToTheDocumentedMetrics() throws Exception {
        Metrics metrics = new Metrics(log, Metrics.DEFAULT_NAMESPACE);

        metrics.requestOutcome(Function.LOGIN, null);
        metrics.requestOutcome(Function.CALLBACK, null);
        metrics.requestOutcome(Function.INDEX, null); // counts nothing
        metrics.requestOutcome(Function.INDEX, "store_unavailable");
        metrics.sessionEnded();
        metrics.providerLatency(Duration.ofMillis(231));

        assertThat(lines()).extracting(OperationalLogsTest::metricName)
                .containsExactly("LoginsStarted", "LoginsCompleted", "StoreErrors", "SessionsEnded", "ProviderLatency");
        assertThat(lines().get(2)).containsEntry("handler", "index");
        assertThat(lines().get(4)).containsEntry("ProviderLatency", 231L);
    }

    @Test
    void namespace_mustBeAValidCloudWatchNamespace() {
        assertThatThrownBy(() -> new Metrics(log, "AWS/Lambda")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Metrics(log, "has space")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Metrics(log, "SignInWithGoogle/my-stack_1")).isNotNull();
    }
}
