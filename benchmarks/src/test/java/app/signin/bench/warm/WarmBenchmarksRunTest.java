package app.signin.bench.warm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one check `mvn -B verify` runs here: every warm benchmark executes once and its handler answers with
 * its success status, so a change that breaks a benchmark is caught by the build rather than at the next
 * ./bench. (Measurements themselves are ./bench only.)
 */
class WarmBenchmarksRunTest {
    static HandlerBenchmarks handlers = new HandlerBenchmarks();
    static PieceBenchmarks pieces = new PieceBenchmarks();

    @BeforeAll
    static void setUp() {
        handlers.graph();
        handlers.freshStore();
        pieces.setUp();
    }

    @Test
    void everyHandlerBenchmark_walksItsSuccessPath() {
        assertThat(WarmGraph.status(handlers.indexSignedIn())).isEqualTo(200);
        assertThat(new String(handlers.indexSignedIn())).contains("Signed in as");
        assertThat(new String(handlers.indexSignedOut())).contains("Sign in with Google");
        assertThat(WarmGraph.status(handlers.login())).isEqualTo(302);
        assertThat(new String(handlers.authorizerCookie())).contains("\"isAuthorized\":true", "alice@example.com");
        for (int i = 0; i < 3; i++) {
            assertThat(WarmGraph.status(handlers.callback())).isEqualTo(303);
            assertThat(WarmGraph.status(handlers.logout())).isEqualTo(303);
        }
    }

    @Test
    void recordedProvider_isAskedForKeysOnce_andForATokenPerCallback() {
        int tokens = RecordedHttp.requests("/token");
        handlers.callback();
        handlers.callback();
        assertThat(RecordedHttp.requests("/token")).isEqualTo(tokens + 2);
        assertThat(RecordedHttp.requests("/jwks")).isEqualTo(1);
        assertThat(RecordedHttp.requests("/.well-known/openid-configuration")).isEqualTo(1);
    }

    @Test
    void everyPieceBenchmark_runs() {
        assertThat(pieces.cookieVerify()).isNotNull();
        assertThat(pieces.idTokenVerify().email()).isEqualTo("alice@example.com");
        assertThat(pieces.sealTokens().ciphertext()).isNotEmpty();
        assertThat(pieces.renderSignedIn()).contains("alice@example.com");
        assertThat(pieces.renderSignedOut()).contains("Sign in with Google");
        assertThat(pieces.runtimeEventDeserialize().getRawPath()).isEqualTo("/");
    }
}
