package app.signin.bench.warm;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;

import app.signin.App;
import app.signin.bench.peers.LoopbackProvider;
import app.signin.config.Config;
import app.signin.crypto.CookieCodec;
import app.signin.crypto.Keyring;
import app.signin.crypto.RandomTokens;
import app.signin.handler.CallbackHandler;
import app.signin.handler.IndexHandler;
import app.signin.handler.LoginHandler;
import app.signin.handler.LogoutHandler;
import app.signin.handler.Wiring;
import app.signin.log.Log;
import app.signin.oidc.Identity;
import app.signin.oidc.ProviderTokens;
import app.signin.session.PendingLogin;
import app.signin.session.SessionStore;
import app.signin.session.Sessions;
import app.signin.session.StoredSession;
import app.signin.store.InMemorySessionStore;
import app.signin.web.CookiePolicy;
import app.signin.web.PublicOrigin;

/**
 * The application graph with the network excluded: the store answers from memory
 * ({@link InMemorySessionStore}) and the provider from recorded responses ({@link RecordedHttp}), so what
 * a warm benchmark measures is this code's CPU per request. Everything else - configuration, keys, the
 * handlers, logging (to a null stream) - is the real thing.
 *
 * <p>Each handler is invoked bytes in, bytes out, as the Lambda runtime does: a {@link RequestStreamHandler}
 * through its streams, a POJO {@link RequestHandler} through the runtime's own event serializer.
 */
public final class WarmGraph {
    public static final String ISSUER = "http://127.0.0.1:9";
    public static final String SECRET = "bench-session-secret-0123456789abcdefghijklmnopqrstuvwxyz";
    static final PublicOrigin ORIGIN = new PublicOrigin("https", "abc123.execute-api.eu-west-1.amazonaws.com");
    static final String SESSION_COOKIE = CookiePolicy.sessionCookieName(ORIGIN);

    private static final RSAKey KEY = newKey();
    private static final String NONCE = new RandomTokens(new SecureRandom()).next();

    public final ResettableStore store = new ResettableStore();
    public final App app;
    public final RSAKey key;
    public final CookieCodec codec;
    public final String nonce;
    public final String idToken;

    public final Invoker index;
    public final Invoker login;
    public final Invoker callback;
    public final Invoker logout;
    public final Invoker authorizer;

    public final byte[] indexSignedOut;
    public final byte[] indexSignedIn;
    public final byte[] loginEvent;
    public final byte[] callbackEvent;
    public final byte[] logoutEvent;
    public final byte[] authorizerSignedIn;
    public final String sessionCookieValue;
    final PendingLogin pending;
    final StoredSession session;

    public WarmGraph() {
        RecordedHttp.install();
        // One key and nonce per JVM: the recorded responses are JVM-wide, like the provider they stand for.
        key = KEY;
        nonce = NONCE;
        RandomTokens random = new RandomTokens(new SecureRandom());
        String tokenResponse = LoopbackProvider.tokenResponseJson(key, ISSUER, nonce);
        idToken = String.valueOf(parse(tokenResponse).get("id_token"));
        RecordedHttp.record("/.well-known/openid-configuration",
                new RecordedHttp.Response(200, "application/json", LoopbackProvider.discoveryJson(ISSUER)));
        RecordedHttp.record("/jwks", new RecordedHttp.Response(200, "application/json",
                new com.nimbusds.jose.jwk.JWKSet(key.toPublicJWK()).toString()));
        RecordedHttp.record("/token", new RecordedHttp.Response(200, "application/json; charset=utf-8", tokenResponse));
        RecordedHttp.record("/revoke", new RecordedHttp.Response(200, "text/html", ""));

        Map<String, String> env = new HashMap<>();
        env.put(Config.OIDC_ISSUER, ISSUER);
        env.put(Config.GOOGLE_CLIENT_ID, LoopbackProvider.CLIENT_ID);
        env.put(Config.GOOGLE_CLIENT_SECRET, LoopbackProvider.CLIENT_SECRET);
        env.put(Config.SESSION_SECRET, SECRET);
        env.put(Config.SESSION_TABLE, "sessions");
        env.put(Config.AWS_REGION, "eu-west-1");
        Config config = Config.load(env, arn -> {
            throw new IllegalStateException("no Secrets Manager here");
        });
        app = new App(config, store, Clock.systemUTC(), new SecureRandom(),
                (Boolean.getBoolean("bench.log") ? Log.stdout() : new Log(new PrintStream(OutputStream.nullOutputStream()))));
        codec = new CookieCodec(new Keyring(List.of(SECRET)));
        index = Invoker.of(Wiring.index(app));
        login = Invoker.of(Wiring.login(app));
        callback = Invoker.of(Wiring.callback(app));
        logout = Invoker.of(Wiring.logout(app));
        authorizer = Invoker.of(Wiring.authorizer(app));

        // A live session for index and logout.
        Sessions.Started started = app.sessions().start(SESSION_COOKIE,
                new Identity("108204268033311374519", "alice@example.com", "Alice Example",
                        "https://lh3.googleusercontent.com/a/ACg8ocJ-bench=s96-c", null),
                new ProviderTokens(null, "ya29.bench-access", "1//bench-refresh"), Instant.now());
        session = started.session();
        sessionCookieValue = started.cookieValue();
        Sessions.SessionId id = app.sessions().idFromCookie(SESSION_COOKIE, List.of(sessionCookieValue)).orElseThrow();
        String csrf = app.sessions().csrfToken(id);

        // A pending login whose state the callback event carries; re-stored before every callback.
        String state = random.next();
        String stateHash = RandomTokens.hash(state);
        pending = new PendingLogin(stateHash, nonce, random.next(), "/dashboard", Instant.now().plus(Duration.ofHours(2)));
        String bindingName = CookiePolicy.loginCookieName(ORIGIN, stateHash);

        indexSignedOut = Events.index(List.of());
        indexSignedIn = Events.index(List.of(SESSION_COOKIE + "=" + sessionCookieValue));
        loginEvent = Events.login();
        callbackEvent = Events.callback(state, "4/0AmEFDRW4_bench-code", List.of(bindingName + "=" + codec.sign(bindingName, state)));
        authorizerSignedIn = Events.authorizer(SESSION_COOKIE + "=" + sessionCookieValue);
        logoutEvent = Events.logout(List.of(SESSION_COOKIE + "=" + sessionCookieValue), csrf);
        store.reset();
    }

    private static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("bench-key-1").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Puts the live session back (logout deletes it). */
    public void restoreSession() {
        store.current().deleteSession(session.idHash());
        store.current().putSession(session);
    }

    /** Puts the pending login back (the callback consumes it). */
    public void restorePendingLogin() {
        store.current().takePendingLogin(pending.stateHash());
        store.current().putPendingLogin(pending);
    }

    /** A handler as the runtime drives it: event bytes in, response bytes out. */
    public interface Invoker {
        byte[] invoke(byte[] event);

        @SuppressWarnings("unchecked")
        static Invoker of(Object handler) {
            if (handler instanceof RequestStreamHandler stream) {
                return event -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
                    try {
                        stream.handleRequest(new ByteArrayInputStream(event), out, null);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return out.toByteArray();
                };
            }
            var pojo = (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) handler;
            ClassLoader loader = WarmGraph.class.getClassLoader();
            PojoSerializer<APIGatewayV2HTTPEvent> in = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, loader);
            PojoSerializer<APIGatewayV2HTTPResponse> out = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPResponse.class, loader);
            return event -> {
                APIGatewayV2HTTPResponse response = pojo.handleRequest(in.fromJson(new ByteArrayInputStream(event)), null);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
                out.toJson(response, bytes);
                return bytes.toByteArray();
            };
        }
    }

    /** The response's status code, for the sanity checks. */
    public static int status(byte[] response) {
        Object status = parse(new String(response, StandardCharsets.UTF_8)).get("statusCode");
        return ((Number) status).intValue();
    }

    static Map<String, Object> parse(String json) {
        try {
            return JSONObjectUtils.parse(json);
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A store whose contents can be dropped between measurement iterations, so that sessions and pending
     * logins created by millions of operations do not pile up in memory.
     */
    public static final class ResettableStore implements SessionStore {
        private volatile InMemorySessionStore delegate = new InMemorySessionStore();
        private StoredSession keep;

        InMemorySessionStore current() {
            return delegate;
        }

        /** Starts empty again, keeping only the benchmark's live session. */
        public void reset() {
            InMemorySessionStore fresh = new InMemorySessionStore();
            if (keep != null) {
                fresh.putSession(keep);
            }
            delegate = fresh;
        }

        @Override
        public void putPendingLogin(PendingLogin login) {
            delegate.putPendingLogin(login);
        }

        @Override
        public Optional<PendingLogin> takePendingLogin(String stateHash) {
            return delegate.takePendingLogin(stateHash);
        }

        @Override
        public void putSession(StoredSession session) {
            if (keep == null) {
                keep = session; // the first session is the benchmark's own
            }
            delegate.putSession(session);
        }

        @Override
        public Optional<StoredSession> getSession(String idHash) {
            return delegate.getSession(idHash);
        }

        @Override
        public Optional<StoredSession> deleteSession(String idHash) {
            return delegate.deleteSession(idHash);
        }

        @Override
        public void touchSession(String idHash, Instant lastSeenAt, Instant expiresAt) {
            delegate.touchSession(idHash, lastSeenAt, expiresAt);
        }

        @Override
        public boolean replaceTokens(String idHash, byte[] expectedSealed, String tokenKeyId, byte[] sealedTokens) {
            return delegate.replaceTokens(idHash, expectedSealed, tokenKeyId, sealedTokens);
        }

        @Override
        public java.util.List<app.signin.session.SessionSummary> sessionsOf(String sub) {
            return delegate.sessionsOf(sub);
        }

        @Override
        public java.util.List<String> sessionIdsWithEmail(String email) {
            return delegate.sessionIdsWithEmail(email);
        }

        @Override
        public void checkReachable() {
            delegate.checkReachable();
        }
    }
}
