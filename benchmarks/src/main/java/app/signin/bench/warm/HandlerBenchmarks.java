package app.signin.bench.warm;

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

/**
 * Whole handlers, warm, network excluded: event bytes in, response bytes out, the store in memory and the
 * provider answering from recorded responses. Forked with SerialGC, as Lambda runs them; {@code ./bench jmh}
 * runs every benchmark twice, with the JVM's default tiered compilation (what the java25 runtime gives
 * SnapStart functions) and with {@code -XX:TieredStopAtLevel=1} (what it gives on-demand containers).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx512m"})
@State(Scope.Benchmark)
public class HandlerBenchmarks {
    WarmGraph graph;

    @Setup(Level.Trial)
    public void graph() {
        graph = new WarmGraph();
    }

    /** Drops what the previous iteration created (sessions, pending logins). */
    @Setup(Level.Iteration)
    public void freshStore() {
        graph.store.reset();
    }

    /** Cookie MAC, one consistent read (from memory), the signed-in page. */
    @Benchmark
    public byte[] indexSignedIn() {
        return graph.index.invoke(graph.indexSignedIn);
    }

    /** The authorizer with the cookie of a live session: cookie MAC, one read (from memory), allow. */
    @Benchmark
    public byte[] authorizerCookie() {
        return graph.authorizer.invoke(graph.authorizerSignedIn);
    }

    /** No cookie: no store call, the sign-in page. */
    @Benchmark
    public byte[] indexSignedOut() {
        return graph.index.invoke(graph.indexSignedOut);
    }

    /** State, nonce, verifier, one store write, the redirect and its binding cookie. */
    @Benchmark
    public byte[] login() {
        return graph.login.invoke(graph.loginEvent);
    }

    /**
     * Binding cookie, single-use pending login, code exchange (recorded response), RS256 ID token check,
     * new session with AES-GCM sealed tokens. Putting the pending login back is part of the measured time
     * (one map insert).
     */
    @Benchmark
    public byte[] callback() {
        graph.restorePendingLogin();
        return graph.callback.invoke(graph.callbackEvent);
    }

    /** Origin and CSRF checks, session delete, token unseal, revocation (recorded), cookie clear. */
    @Benchmark
    public byte[] logout() {
        graph.restoreSession();
        return graph.logout.invoke(graph.logoutEvent);
    }
}
