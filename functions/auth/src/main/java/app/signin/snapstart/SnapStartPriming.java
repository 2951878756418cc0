package app.signin.snapstart;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import app.signin.App;
import app.signin.crypto.Keyring;
import app.signin.crypto.TokenCipher;
import app.signin.handler.Wiring;
import app.signin.oidc.IdTokenVerifier;
import app.signin.session.PendingLogin;
import app.signin.session.Sessions;

/**
 * SnapStart priming: just before Lambda snapshots an initialised container, run the code a request will run,
 * so the classes are loaded, initialised and C1-compiled in the snapshot instead of on the first request
 * after every restore.
 *
 * <p>What is primed: the event JSON and the response of a harmless request through the function's own
 * pipeline; the provider's discovery document (fetched once per container anyway); the DynamoDB client with
 * one call this function's IAM role allows, on a key no real item can have; cookie and CSRF MACs; for the
 * callback an RS256 ID token made and checked on the spot with a throwaway key, and AES-GCM on a sealed blob
 * that does not open. Every step tolerates failure: priming can make a snapshot faster, never break it.
 *
 * <p>What is never done: drawing from the application's {@link java.security.SecureRandom}. Every state,
 * nonce, PKCE verifier, session id and IV is drawn per request, after restore, so no two restored copies
 * of the snapshot can share one (AWS: "Handling uniqueness with Lambda SnapStart"). Nothing cached here is
 * time-bound or secret: the discovery document is stable, the JWKS cache of the real verifier is not touched
 * (its first callback fetches the keys, and its TTL is measured on the restored clock), and the HTTP
 * clients' idle connections expire by time, so a restore long after the snapshot opens fresh ones. Hence
 * {@link #afterRestore} has nothing to refresh.
 */
public final class SnapStartPriming implements Resource {
    /** The function this container serves: each primes only the calls its IAM role allows. */
    public enum Function {
        INDEX, LOGIN, CALLBACK, LOGOUT, AUTHORIZER
    }

    /**
     * The key of every priming call. Real keys are 43-character base64url hashes, so no session or pending
     * login can ever have this one.
     */
    public static final String PRIMING_KEY = "snapstart-priming";
    static final String PRIMING_NONCE = "snapstart-priming-nonce";

    /** The CRaC context may hold resources weakly; these must live as long as the container. */
    private static final List<SnapStartPriming> REGISTERED = new CopyOnWriteArrayList<>();

    private final App app;
    private final Function function;

    SnapStartPriming(App app, Function function) {
        this.app = app;
        this.function = function;
    }

    /**
     * Registers priming for this container if Lambda will snapshot it. An on-demand cold start skips even
     * the registration: org.crac's bridge to the runtime builds a dynamic proxy (some 60 classes) that only
     * a snapshot needs. {@code AWS_LAMBDA_INITIALIZATION_TYPE} is the runtime saying how this container was
     * started, not configuration, hence read here rather than in Config.
     */
    public static void register(App app, Function function) {
        if (!"snap-start".equals(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"))) {
            return;
        }
        SnapStartPriming priming = new SnapStartPriming(app, function);
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to refresh: see the class comment.
    }

    /** Runs every step for this function; a failing step is logged and skipped. */
    public void prime() {
        step("request pipeline", this::requestPipeline);
        step("provider discovery", () -> app.provider().metadata());
        step("session store", this::store);
        step("cookie MACs", () -> {
            app.sessions().idFromCookie("__Host-session", List.of("v1.AAAAAAAA.AAAA.AAAA"));
            app.sessions().csrfToken(new Sessions.SessionId(PRIMING_KEY, PRIMING_KEY));
        });
        if (function == Function.CALLBACK || function == Function.LOGOUT) {
            step("token sealing", this::tokenCipher);
        }
        if (function == Function.CALLBACK) {
            step("ID token check", this::idToken);
        }
    }

    private void step(String name, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            app.log().info("snapstart priming: " + name + " skipped (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** One request that needs neither the store nor randomness, through this function's own handler. */
    private void requestPipeline() {
        RequestStreamHandler handler = switch (function) {
            case CALLBACK -> Wiring.callback(app); // no state: refused before any store call
            case LOGOUT -> Wiring.logout(app); // GET without a session: the signed-out page
            case INDEX, LOGIN -> Wiring.index(app); // no cookie: the sign-in page
            case AUTHORIZER -> Wiring.authorizer(app); // no cookie: denied before any store call
        };
        String path = switch (function) {
            case CALLBACK -> "/callback";
            case LOGOUT -> "/logout";
            case INDEX, LOGIN -> "/";
            case AUTHORIZER -> "/api/hello";
        };
        String event = "{\"version\":\"2.0\",\"routeKey\":\"GET " + path + "\",\"rawPath\":\"" + path
                + "\",\"rawQueryString\":\"code=priming\",\"headers\":{\"accept\":\"text/html\",\"user-agent\":"
                + "\"snapstart-priming\"},\"queryStringParameters\":{\"code\":\"priming\"},\"requestContext\":"
                + "{\"domainName\":\"priming.invalid\",\"requestId\":\"snapstart-priming\",\"http\":{\"method\":\"GET\","
                + "\"path\":\"" + path + "\",\"protocol\":\"HTTP/1.1\",\"sourceIp\":\"127.0.0.1\"}},"
                + "\"isBase64Encoded\":false}";
        try {
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                    new ByteArrayOutputStream(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The SDK's whole request path - signing, HTTP, JSON both ways, error mapping - with the one operation
     * this function's role may make, on {@link #PRIMING_KEY}.
     */
    private void store() {
        switch (function) {
            case INDEX, AUTHORIZER -> app.store().getSession(PRIMING_KEY);
            case LOGOUT -> app.store().deleteSession(PRIMING_KEY);
            case CALLBACK -> {
                app.store().takePendingLogin(PRIMING_KEY); // also removes the login function's priming item
                app.store().deleteSession(PRIMING_KEY);
            }
            case LOGIN -> {
                // The login role may only put. The item is born expired a second ago, so no callback accepts
                // it, and TTL deletes it within days (TTL ignores expiry times more than five years past, so
                // Instant.EPOCH would have kept it forever). The put is conditional: a later snapshot taken
                // before TTL ran fails it harmlessly.
                Instant expired = app.clock().instant().minusSeconds(1);
                app.store().putPendingLogin(new PendingLogin(PRIMING_KEY, PRIMING_NONCE, PRIMING_KEY, "/", expired));
            }
        }
    }

    /** AES-GCM and the per-session key derivation, on a blob that cannot open. */
    private void tokenCipher() {
        Keyring keyring = new Keyring(app.config().sessionSecrets());
        new TokenCipher(keyring, null).open(new TokenCipher.Sealed(keyring.current().id(), new byte[48]),
                PRIMING_KEY, PRIMING_KEY);
    }

    /** In its own class so that verifying this one loads no JOSE classes unless priming runs. */
    private void idToken() {
        IdTokenPriming.run(app);
    }

    private static final class IdTokenPriming {
        private IdTokenPriming() {
        }

        /** An ID token signed with a throwaway key and checked by a verifier holding only that key. */
        static void run(App app) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate())
                        .keyID("snapstart-priming").build();
                String clientId = app.config().clientId();
                Instant now = Instant.now();
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                        new JWTClaimsSet.Builder().issuer(app.issuer().toString()).audience(clientId).claim("azp", clientId)
                                .subject(PRIMING_KEY).claim("email", "priming@priming.invalid").claim("email_verified", true)
                                .claim("nonce", PRIMING_NONCE).issueTime(Date.from(now))
                                .expirationTime(Date.from(now.plusSeconds(300))).build());
                jwt.sign(new RSASSASigner(key));
                new IdTokenVerifier(app.issuer(), clientId, new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK())))
                        .verify(jwt.serialize(), PRIMING_NONCE, now);
            } catch (GeneralSecurityException | JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
