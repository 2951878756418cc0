package app.signin.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.Context;
import com.nimbusds.jose.util.JSONObjectUtils;

import app.signin.handler.EndUserSessionsHandler;
import app.signin.handler.Wiring;
import app.signin.testing.Browser;
import app.signin.testing.SiteUnderTest;

/**
 * The operators' function (no HTTP route): given a user by {@code sub} or e-mail it ends every session of
 * theirs, over moto's user and e-mail indexes; it answers bad payloads with a JSON error, never an
 * exception; each call is logged and counted.
 */
class EndUserSessionsTest {

    SiteUnderTest site;
    EndUserSessionsHandler operator;

    @BeforeEach
    void site() {
        site = SiteUnderTest.builder().dynamoDbStore().start();
        operator = Wiring.endUserSessions(site.app());
    }

    @AfterEach
    void close() {
        site.close();
    }

    @Test
    void invokedWithASub_endsEverySessionOfThatUser_andNoOneElses() throws Exception {
        Browser laptop = signedIn("user-leaver", "leaver@example.com");
        Browser phone = signedIn("user-leaver", "leaver@example.com");
        Browser colleague = signedIn("user-stayer", "stayer@example.com");

        Map<String, Object> answer = invoke("{\"sub\":\"user-leaver\"}");

        assertThat(answer).containsEntry("ended", 2L).containsEntry("requestId", "req-1");
        assertThat(laptop.get("/").getBody()).contains("Sign in with Google");
        assertThat(phone.get("/").getBody()).contains("Sign in with Google");
        assertThat(colleague.get("/").getBody()).contains("stayer@example.com");
        assertThat(site.logText()).contains("\"handler\":\"end_user_sessions\"").contains("ended 2 sessions")
                .contains("\"SessionsEnded\":2").doesNotContain("user-leaver");
    }

    @Test
    void invokedWithAnEmail_endsTheSessionsCarryingIt_whateverItsCase() throws Exception {
        Browser laptop = signedIn("user-mail", "Marta@Example.com");
        Browser colleague = signedIn("user-other", "other@example.com");

        Map<String, Object> answer = invoke("{\"email\":\"marta@example.COM\"}");

        assertThat(answer).containsEntry("ended", 1L);
        assertThat(laptop.get("/").getBody()).contains("Sign in with Google");
        assertThat(colleague.get("/").getBody()).contains("other@example.com");
        assertThat(site.logText()).doesNotContain("marta@example");
    }

    @Test
    void invokedForAUserWithoutSessions_endsNothing_andSaysSo() throws Exception {
        assertThat(invoke("{\"sub\":\"nobody\"}")).containsEntry("ended", 0L);
    }

    @Test
    void aPayloadNamingNoUser_orBoth_orANonString_orNotJson_isAnsweredWithAJsonError() throws Exception {
        Browser laptop = signedIn("user-kept", "kept@example.com");

        for (String payload : new String[] {"{}", "{\"sub\":\"user-kept\",\"email\":\"kept@example.com\"}",
                "{\"sub\":42}", "{\"sub\":\"  \"}", "{\"sub\":42,\"email\":\"kept@example.com\"}",
                "{\"sub\":null,\"email\":\"kept@example.com\"}", "{\"email\":[\"kept@example.com\"]}", "not json", "", "{\"sub\":\"" + "x".repeat(5000) + "\"}"}) {
            Map<String, Object> answer = invoke(payload);
            assertThat(answer).as(payload.length() > 40 ? "oversized payload" : payload)
                    .containsEntry("error", "bad_request").containsKey("message").doesNotContainKey("ended");
        }
        assertThat(laptop.get("/").getBody()).contains("kept@example.com");
        assertThat(site.logText()).contains("\"reason\":\"bad_request\"");
    }

    @Test
    void aSessionTheIndexListsOnlyOnTheSecondQuery_isEndedToo_bySubAndByEmail() throws Exception {
        for (String payload : new String[] {"{\"sub\":\"user-racer\"}", "{\"email\":\"racer@example.com\"}"}) {
            try (SiteUnderTest racing = SiteUnderTest.builder().inMemory().start()) {
                Browser laptop = signedIn(racing, "user-racer", "racer@example.com");
                Browser[] phone = new Browser[1];
                // A sign-in completing between the sweep's first index Query and its deletes: the first Query
                // cannot list it (as an index lagging behind a just-written session would not).
                racing.recording().afterNext(payload.contains("sub") ? "sessionsOf" : "sessionIdsWithEmail",
                        () -> phone[0] = signedIn(racing, "user-racer", "racer@example.com"));

                Map<String, Object> answer = invoke(Wiring.endUserSessions(racing.app()), payload);

                assertThat(answer).as(payload).containsEntry("ended", 2L);
                assertThat(laptop.get("/").getBody()).contains("Sign in with Google");
                assertThat(phone[0].get("/").getBody()).as("the session the first Query missed")
                        .contains("Sign in with Google");
                assertThat(racing.storedSessionCount()).isZero();
            }
        }
    }

    @Test
    void aStoreFailingHalfWay_answersStoreUnavailable_withTheSessionsAlreadyEnded_countedAndLogged() throws Exception {
        try (SiteUnderTest failing = SiteUnderTest.builder().inMemory().start()) {
            for (int i = 0; i < 3; i++) {
                signedIn(failing, "user-half", "half@example.com");
            }
            // The first delete succeeds; the second fails, as a throttled DynamoDB call would.
            failing.recording().afterNext("deleteSession", () -> failing.recording().failNext("deleteSession"));

            Map<String, Object> answer = invoke(Wiring.endUserSessions(failing.app()), "{\"sub\":\"user-half\"}");

            assertThat(answer).containsEntry("error", "store_unavailable").containsEntry("ended", 1L)
                    .containsEntry("requestId", "req-1");
            assertThat(failing.storedSessionCount()).isEqualTo(2);
            assertThat(failing.logText()).contains("\"SessionsEnded\":1").contains("after ending 1 sessions")
                    .contains("\"reason\":\"store_unavailable\"");
        }
    }

    Map<String, Object> invoke(String payload) throws Exception {
        return invoke(operator, payload);
    }

    static Map<String, Object> invoke(EndUserSessionsHandler operator, String payload) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        operator.handleRequest(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), out,
                context("req-1"));
        return JSONObjectUtils.parse(out.toString(StandardCharsets.UTF_8));
    }

    /** Lambda's context as far as the function reads it: the request id. */
    static Context context(String requestId) {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> method.getName().equals("getAwsRequestId") ? requestId : null);
    }

    Browser signedIn(String sub, String email) {
        return signedIn(site, sub, email);
    }

    static Browser signedIn(SiteUnderTest site, String sub, String email) {
        Browser browser = site.browser();
        assertThat(site.login(browser, sub, email).getStatusCode()).isEqualTo(303);
        site.clock().advance(java.time.Duration.ofSeconds(1));
        return browser;
    }
}
