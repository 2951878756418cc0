package app.signin.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.nimbusds.jose.util.JSONObjectUtils;

import app.signin.handler.Wiring;
import app.signin.testing.ApiGateway;
import app.signin.testing.Browser;
import app.signin.testing.MutableClock;
import app.signin.testing.SiteUnderTest;
import app.signin.testing.TestProvider;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * Everything the functions log during a complete run - sign-in, the signed-in page, the API behind the
 * authorizer, a Google API call for the user before and after its access token is refreshed, sign-out, and a series of rejected requests - captured and read back line by line: every
 * line is one JSON object in Lambda's shape, failures carry their reason code, the metrics arrive in
 * embedded metric format, and no secret of the run appears anywhere.
 */
class OperationalLogsTest {
    static final String SESSION_COOKIE = "__Host-session";
    static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}");

    TestProvider provider;
    SiteUnderTest site;
    Browser browser;
    MutableClock clock;
    int refreshGrants;
    /** Every value of the run that must never be logged. */
    Set<String> secrets = new LinkedHashSet<>();

    @BeforeEach
    void start() {
        // DynamoDB as deployed, on a hand-moved clock (the Google access token expires); the log is captured.
        site = SiteUnderTest.builder().dynamoDbStore().start();
        provider = site.provider();
        clock = site.clock();
        Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> routes =
                new HashMap<>(SiteUnderTest.routes(site.app()));
        routes.put("/api/google/userinfo", new ApiGateway(Wiring.authorizer(site.app()), Wiring.googleUserinfo(site.app())));
        browser = new Browser(routes);
        secrets.add(SiteUnderTest.SESSION_SECRET);
        secrets.add(TestProvider.CLIENT_SECRET);
    }

    @AfterEach
    void stop() {
        site.close();
    }

    @Test
    void completeRun_logsOneJsonObjectPerLine_withReasonsAndMetrics_andNoSecretAnywhere() throws Exception {
        // GIVEN / WHEN: a complete run with its rejections
        get("/");
        String callback = startLogin("/dashboard?tab=1", () -> provider.nextUser("user-1", "alice@example.com"));
        Map<String, String> bindingCookie = Map.copyOf(browser.cookies());
        assertThat(get(callback).getStatusCode()).isEqualTo(303);
        String sessionCookie = browser.cookies().get(SESSION_COOKIE);
        secrets.add(sessionCookie);
        secrets.add(sessionCookie.split("\\.")[2]); // the raw session id
        String page = get("/").getBody();
        String csrf = ProtectedRoutesTest.csrf(page);
        secrets.add(csrf);
        assertThat(get("/api/me").getStatusCode()).isEqualTo(200);
        assertThat(get("/api/hello").getStatusCode()).isEqualTo(200);
        assertThat(get("/api/google/userinfo").getStatusCode()).isEqualTo(200);
        clock.advance(java.time.Duration.ofHours(1)); // the access token expires: the next call refreshes it
        assertThat(get("/api/google/userinfo").getStatusCode()).isEqualTo(200);
        assertThat(get("/health").getStatusCode()).isEqualTo(200);

        // Refused responses in a signed-in browser send it home (303), and are logged as the refusals they are.
        browser.cookies().putAll(bindingCookie); // replayed with its binding cookie: state_unknown
        assertThat(get(callback).getStatusCode()).as("replayed callback").isEqualTo(303);
        assertThat(get("/callback?code=abc&state=" + "A".repeat(43)).getStatusCode()).isEqualTo(303); // state_mismatch
        String cancelled = startLogin("/", () -> { });
        assertThat(get(cancelled.replaceAll("code=[^&]+", "error=access_denied")).getStatusCode()).isEqualTo(400);
        String badCode = startLogin("/", () -> { }); // the exchange fails before a user is issued
        assertThat(get(badCode.replaceAll("code=([^&]+)", "code=$1x")).getStatusCode()).isEqualTo(400); // code_rejected
        String expired = startLogin("/", () -> provider.server().enqueueCallback(new DefaultOAuth2TokenCallback(
                TestProvider.ISSUER_ID, "user-3", "JWT", List.of(TestProvider.CLIENT_ID),
                Map.of("email", "eve@example.com", "email_verified", true), -3600)));
        assertThat(get(expired).getStatusCode()).isEqualTo(401); // id_token_invalid
        assertThat(browser.post("/logout", Map.of("csrf", "forged")).getStatusCode()).isEqualTo(403);
        char last = sessionCookie.charAt(sessionCookie.length() - 1);
        // Always a different character: replacing an 'A' with 'A' would tamper with nothing (1 run in 64).
        browser.cookies().put(SESSION_COOKIE, sessionCookie.substring(0, sessionCookie.length() - 1) + (last == 'A' ? 'B' : 'A'));
        assertThat(get("/api/me").getStatusCode()).isEqualTo(401);
        browser.cookies().put(SESSION_COOKIE, sessionCookie);

        assertThat(browser.post("/logout", Map.of("csrf", csrf)).getStatusCode()).isEqualTo(303);
        browser.cookies().put(SESSION_COOKIE, sessionCookie);
        assertThat(get("/api/me").getStatusCode()).isEqualTo(401);
        assertThat(get("/api/hello").getStatusCode()).isEqualTo(403);
        collectWhatWasSentToTheProvider();
        assertThat(refreshGrants).as("the expired access token was refreshed").isEqualTo(1);

        // THEN
        List<Map<String, Object>> lines = parsedLines();
        assertThat(lines).allSatisfy(l -> assertThat(l).containsKeys("timestamp", "level", "message"));
        assertNoSecretIn(site.logText());

        List<Map<String, Object>> requests = lines.stream().filter(l -> l.containsKey("handler")).toList();
        assertThat(requests).allSatisfy(l -> assertThat(l).containsKeys("requestId", "handler", "outcome"));
        assertThat(requests).filteredOn(l -> !List.of("ok", "allow").contains(l.get("outcome")))
                .allSatisfy(l -> assertThat(l).containsKey("reason"));
        assertThat(requests).extracting(l -> l.get("reason")).contains("state_unknown", "state_mismatch",
                "provider_error", "code_rejected", "id_token_invalid", "csrf_rejected", "not_authenticated");
        assertThat(requests).extracting(l -> l.get("handler")).contains("index", "login", "callback", "logout",
                "authorizer", "me", "health", "google_userinfo");

        List<Map<String, Object>> metrics = lines.stream().filter(l -> l.containsKey("_aws")).toList();
        assertThat(metrics).extracting(OperationalLogsTest::metricName).contains("LoginsStarted", "LoginsCompleted",
                "LoginsFailed", "SessionsEnded", "ProviderLatency");
        assertThat(metrics).filteredOn(m -> "LoginsFailed".equals(metricName(m))).extracting(m -> m.get("reason"))
                .contains("state_unknown", "state_mismatch", "provider_error", "code_rejected", "id_token_invalid");
        assertThat(metrics).filteredOn(m -> "SessionsEnded".equals(metricName(m))).hasSize(1);
    }

    /**
     * The sessions a user controls, through every path that ends one - the list (page and JSON), End by
     * handle (and a forged End), sign out everywhere, the operators' function - logs no cookie, raw id,
     * handle, CSRF token, code or Google token, and each path logs and counts its outcome.
     */
    @Test
    void sessionsRun_listEndEverywhereAndOperator_logNoSecretAnywhere() throws Exception {
        // GIVEN: one user signed in from three browsers (one cookie jar, emptied between logins)
        for (int i = 0; i < 3; i++) {
            browser.cookies().clear();
            assertThat(get(startLogin("/", () -> provider.nextUser("user-s", "sam@example.com"))).getStatusCode())
                    .isEqualTo(303);
            String cookie = browser.cookies().get(SESSION_COOKIE);
            secrets.add(cookie.split("\\.")[2]); // the raw session id
        }

        // WHEN: the list, ending one session by its handle, a forged End, everywhere, then the operator
        String page = get("/sessions").getBody();
        String csrf = ProtectedRoutesTest.csrf(page);
        secrets.add(csrf);
        Matcher handle = Pattern.compile("name=\"session\" value=\"([^\"]+)\"").matcher(page);
        List<String> handles = new ArrayList<>();
        while (handle.find()) {
            handles.add(handle.group(1));
        }
        assertThat(handles).hasSize(2);
        secrets.addAll(handles);
        assertThat(get("/api/sessions").getBody()).contains(handles.getFirst());
        assertThat(browser.post("/sessions/end", Map.of("csrf", "forged", "session", handles.getFirst()))
                .getStatusCode()).isEqualTo(403);
        assertThat(browser.post("/sessions/end", Map.of("csrf", csrf, "session", handles.getFirst())).getStatusCode())
                .isEqualTo(303);
        assertThat(browser.post("/logout", Map.of("csrf", csrf, "everywhere", "true")).getStatusCode()).isEqualTo(303);
        browser.cookies().clear();
        assertThat(get(startLogin("/", () -> provider.nextUser("user-t", "tess@example.com"))).getStatusCode())
                .isEqualTo(303);
        secrets.add(browser.cookies().get(SESSION_COOKIE).split("\\.")[2]);
        java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
        Wiring.endUserSessions(site.app()).handleRequest(new java.io.ByteArrayInputStream(
                "{\"email\":\"tess@example.com\"}".getBytes(StandardCharsets.UTF_8)), answer, null);
        assertThat(answer.toString(StandardCharsets.UTF_8)).contains("\"ended\":1");
        collectWhatWasSentToTheProvider();

        // THEN
        List<Map<String, Object>> lines = parsedLines(20);
        assertNoSecretIn(site.logText());
        assertThat(site.logText()).doesNotContain("tess@example.com");
        List<Map<String, Object>> requests = lines.stream().filter(l -> l.containsKey("handler")).toList();
        assertThat(requests).extracting(l -> l.get("handler")).contains("sessions", "end_session", "logout",
                "end_user_sessions");
        assertThat(requests).filteredOn(l -> "end_session".equals(l.get("handler"))).extracting(l -> l.get("reason"))
                .contains("csrf_rejected");
        assertThat(lines.stream().filter(l -> l.containsKey("_aws")).filter(m -> "SessionsEnded".equals(metricName(m)))
                .mapToLong(m -> ((Number) m.get("SessionsEnded")).longValue()).sum())
                .as("one by handle, two by everywhere, one by the operator").isEqualTo(4);
    }

    /** Starts a login and plays the provider (after {@code queueUser}); returns the callback path and query. */
    private String startLogin(String returnTo, Runnable queueUser) {
        APIGatewayV2HTTPResponse login = get("/login?return_to=" + java.net.URLEncoder.encode(returnTo,
                StandardCharsets.UTF_8));
        String location = login.getHeaders().get("location");
        for (String name : List.of("state", "nonce", "code_challenge")) {
            secrets.add(param(location, name));
        }
        queueUser.run();
        URI back = provider.authorize(location);
        secrets.add(param("?" + back.getRawQuery(), "code"));
        return back.getRawPath() + "?" + back.getRawQuery();
    }

    private APIGatewayV2HTTPResponse get(String pathAndQuery) {
        APIGatewayV2HTTPResponse r = browser.get(pathAndQuery);
        if (r.getCookies() != null) {
            for (String setCookie : r.getCookies()) {
                String value = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
                if (!value.isEmpty()) {
                    secrets.add(value);
                }
            }
        }
        return r;
    }

    /**
     * Everything sent to the provider's token, revocation and userinfo endpoints: code, verifier, client
     * secret, refresh token, access tokens.
     */
    private void collectWhatWasSentToTheProvider() {
        for (int i = 0; i < 200; i++) {
            RecordedRequest r;
            try {
                r = provider.server().takeRequest(50, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                return;
            }
            if (r == null) {
                return;
            }
            String authorization = r.getHeader("Authorization");
            if (authorization != null) {
                secrets.add(authorization.substring(authorization.indexOf(' ') + 1)); // the access token
            }
            String body = r.getBody().readUtf8();
            if (body.contains("grant_type=refresh_token")) {
                refreshGrants++;
            }
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && !List.of("grant_type", "client_id", "redirect_uri").contains(pair.substring(0, eq))) {
                    String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    if (value.length() >= 8) {
                        secrets.add(value);
                    }
                }
            }
        }
    }

    private void assertNoSecretIn(String logs) {
        assertThat(secrets).as("secrets collected from the run").hasSizeGreaterThan(15);
        for (String secret : secrets) {
            assertThat(logs).as("logs must not contain a secret of length %d", secret.length())
                    .doesNotContain(secret);
        }
        assertThat(JWT.matcher(logs).find()).as("a JWT in the logs").isFalse();
        assertThat(logs).doesNotContain("code=").doesNotContain("Cookie").doesNotContain("Bearer");
    }

    private List<Map<String, Object>> parsedLines() throws java.text.ParseException {
        return parsedLines(30);
    }

    /** Every captured line parsed as JSON; at least {@code atLeast} of them, or the run did not happen. */
    private List<Map<String, Object>> parsedLines(int atLeast) throws java.text.ParseException {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : site.logText().split("\n")) {
            if (!line.isEmpty()) {
                lines.add(JSONObjectUtils.parse(line));
            }
        }
        assertThat(lines).hasSizeGreaterThan(atLeast);
        return lines;
    }

    @SuppressWarnings("unchecked")
    static String metricName(Map<String, Object> line) {
        Map<String, Object> aws = (Map<String, Object>) line.get("_aws");
        List<Object> directives = (List<Object>) aws.get("CloudWatchMetrics");
        Map<String, Object> directive = (Map<String, Object>) directives.getFirst();
        List<Object> metrics = (List<Object>) directive.get("Metrics");
        return (String) ((Map<String, Object>) metrics.getFirst()).get("Name");
    }

    static String param(String url, String name) {
        Matcher m = Pattern.compile("[?&]" + name + "=([^&]+)").matcher(url);
        assertThat(m.find()).as(name).isTrue();
        return m.group(1);
    }
}
