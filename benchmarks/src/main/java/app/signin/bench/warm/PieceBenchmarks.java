package app.signin.bench.warm;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;

import app.signin.bench.peers.LoopbackProvider;
import app.signin.config.Branding;
import app.signin.crypto.Keyring;
import app.signin.crypto.TokenCipher;
import app.signin.oidc.Identity;
import app.signin.oidc.IdTokenVerifier;
import app.signin.web.Pages;

/**
 * The breakdown: the pieces a request is made of, each alone. Same fork settings as
 * {@link HandlerBenchmarks}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx512m"})
@State(Scope.Benchmark)
public class PieceBenchmarks {
    /** Built once per container, as App does: the stylesheet and its hash are not part of a render. */
    private static final Pages PAGES = new Pages(Branding.DEFAULT);
    WarmGraph graph;
    IdTokenVerifier verifier;
    TokenCipher cipher;
    TokenCipher.Sealed sealed;
    PojoSerializer<APIGatewayV2HTTPEvent> eventSerializer;
    String rawId = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5";
    String csrf;

    @Setup(Level.Trial)
    public void setUp() {
        graph = new WarmGraph();
        verifier = new IdTokenVerifier(URI.create(WarmGraph.ISSUER), LoopbackProvider.CLIENT_ID,
                new ImmutableJWKSet<>(new JWKSet(graph.key.toPublicJWK())));
        cipher = new TokenCipher(new Keyring(List.of(WarmGraph.SECRET)), new SecureRandom());
        sealed = cipher.seal("ya29.bench-access\n1//bench-refresh", rawId, "aGFzaA");
        eventSerializer = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, getClass().getClassLoader());
        csrf = "ycMq6reyhfq77Kwvj2WqEojqwO1Laul1HE2N2rvxlqc";
    }

    /** The session cookie's HMAC-SHA256 check (every index and logout). */
    @Benchmark
    public Object cookieVerify() {
        return graph.codec.verify(WarmGraph.SESSION_COOKIE, graph.sessionCookieValue);
    }

    /** RS256 signature and claims of an ID token, keys in memory (the callback's core). */
    @Benchmark
    public Identity idTokenVerify() {
        return verifier.verify(graph.idToken, graph.nonce, Instant.now());
    }

    /**
     * The same token checked as an API client's bearer token (authorizer, {@code Authorization: Bearer}):
     * the same verifier in its bearer mode - audience set instead of nonce. Target: within 1.2x of
     * {@link #idTokenVerify}.
     */
    @Benchmark
    public Identity bearerTokenVerify() {
        return verifier.verifyBearer(graph.idToken, Instant.now());
    }

    /** AES-256-GCM sealing of the provider tokens with a per-session derived key (callback). */
    @Benchmark
    public TokenCipher.Sealed sealTokens() {
        return cipher.seal("ya29.bench-access\n1//bench-refresh", rawId, "aGFzaA");
    }

    /** The signed-in page, escaped (index). */
    @Benchmark
    public String renderSignedIn() {
        return PAGES.signedIn("alice@example.com", "Alice Example", "https://lh3.googleusercontent.com/a/ACg8ocJ-bench=s96-c", csrf)
                .body();
    }

    /** The sign-in page (index without a session). */
    @Benchmark
    public String renderSignedOut() {
        return PAGES.signedOut(false).body();
    }

    /** What a POJO handler costs before it starts: the runtime's Jackson turning the event into an object. */
    @Benchmark
    public APIGatewayV2HTTPEvent runtimeEventDeserialize() {
        return eventSerializer.fromJson(new ByteArrayInputStream(graph.indexSignedIn));
    }
}
