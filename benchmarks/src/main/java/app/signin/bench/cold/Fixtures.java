package app.signin.bench.cold;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.util.JSONObjectUtils;

import app.signin.App;
import app.signin.config.Config;
import app.signin.crypto.CookieCodec;
import app.signin.crypto.Keyring;
import app.signin.crypto.RandomTokens;
import app.signin.log.Log;
import app.signin.oidc.Identity;
import app.signin.oidc.ProviderTokens;
import app.signin.session.PendingLogin;
import app.signin.session.SessionStore;
import app.signin.session.Sessions;
import app.signin.web.CookiePolicy;
import app.signin.web.PublicOrigin;

/**
 * Makes each cold-start child's request real: the event files of {@code events/} are the templates, and the
 * state they refer to is created beforehand in the same DynamoDB table with the application's own classes -
 * a pending login and its browser-binding cookie for the callback, a live session and its cookie (and CSRF
 * token) for index and logout. So every child walks its handler's full success path, not an error page.
 */
public final class Fixtures {
    /** API Gateway's domain name in every event file; the origin the handlers derive. */
    static final PublicOrigin ORIGIN = new PublicOrigin("https", "abc123.execute-api.eu-west-1.amazonaws.com");

    private final Path events;
    private final App app;
    private final SessionStore store;
    private final CookieCodec codec;
    private final RandomTokens random = new RandomTokens(new SecureRandom());

    /**
     * @param env the environment the children get, with the session secret given in plain (the children
     *            read it from Secrets Manager; it is the same value)
     */
    public Fixtures(Path events, Map<String, String> env, SessionStore store) {
        this.events = events;
        this.store = store;
        Config config = Config.load(env, arn -> {
            throw new IllegalStateException("fixtures take the secrets in plain");
        });
        this.app = new App(config, store, Clock.systemUTC(), new SecureRandom(),
                new Log(new PrintStream(OutputStream.nullOutputStream())));
        this.codec = new CookieCodec(new Keyring(config.sessionSecrets()));
    }

    /** {@code events/<name>.json} unchanged. */
    public byte[] asIs(String name) {
        return read(name).getBytes(StandardCharsets.UTF_8);
    }

    /** The callback's event for a login started just now: pending login stored, binding cookie sent. */
    public byte[] callback(LoopbackProviderExpectation provider) {
        String state = random.next();
        String nonce = random.next();
        String verifier = random.next();
        String code = "4/0AmEFDRW4_" + random.next();
        String stateHash = RandomTokens.hash(state);
        store.putPendingLogin(new PendingLogin(stateHash, nonce, verifier, "/dashboard",
                Instant.now().plus(Duration.ofMinutes(10))));
        provider.expect(code, nonce);
        String cookieName = CookiePolicy.loginCookieName(ORIGIN, stateHash);
        String cookie = cookieName + "=" + codec.sign(cookieName, state);

        Map<String, Object> event = parse(read("callback"));
        String query = "state=" + state + "&code=" + enc(code)
                + "&scope=email+profile+openid+https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fuserinfo.email"
                + "+https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fuserinfo.profile&authuser=0&prompt=none";
        event.put("rawQueryString", query);
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) event.get("queryStringParameters");
        params.put("state", state);
        params.put("code", code);
        event.put("cookies", List.of(cookie));
        return JSONObjectUtils.toJSONString(event).getBytes(StandardCharsets.UTF_8);
    }

    /** The index event with the cookie of a live session. */
    public byte[] signedInIndex() {
        Session s = newSession();
        Map<String, Object> event = parse(read("index"));
        event.put("cookies", List.of(s.cookie()));
        return JSONObjectUtils.toJSONString(event).getBytes(StandardCharsets.UTF_8);
    }

    /** The authorizer's event for {@code GET /api/hello} with the cookie of a live session. */
    public byte[] signedInAuthorizer() {
        Session s = newSession();
        Map<String, Object> event = parse(read("authorizer"));
        event.put("cookies", List.of(s.cookie()));
        event.put("identitySource", List.of(s.cookie(), "GET /api/hello"));
        return JSONObjectUtils.toJSONString(event).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The authorizer's event for {@code GET /api/hello} from a client without cookies that sends a Google ID
     * token as {@code Authorization: Bearer} (a mobile app, a CLI): the bearer path, no DynamoDB call.
     */
    public byte[] bearerAuthorizer(String idToken) {
        Map<String, Object> event = parse(read("authorizer"));
        event.remove("cookies");
        @SuppressWarnings("unchecked")
        Map<String, Object> headers = (Map<String, Object>) event.get("headers");
        headers.remove("cookie");
        headers.put("authorization", "Bearer " + idToken);
        event.put("identitySource", List.of("GET /api/hello"));
        return JSONObjectUtils.toJSONString(event).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code GET /api/google/userinfo} with the cookie of a live session whose access token is good for an
     * hour, or (with {@code expired}) already due for a refresh.
     */
    public byte[] googleUserinfo(boolean expired) {
        Session s = newSession(Duration.ofSeconds(expired ? 1 : 3599));
        Map<String, Object> event = parse(read("google-userinfo"));
        event.put("cookies", List.of(s.cookie()));
        return JSONObjectUtils.toJSONString(event).getBytes(StandardCharsets.UTF_8);
    }

    /** The logout POST with the cookie and CSRF token of a live session. */
    public byte[] logout() {
        Session s = newSession();
        Map<String, Object> event = parse(read("logout"));
        event.put("cookies", List.of(s.cookie()));
        event.put("body", "csrf=" + s.csrf());
        return JSONObjectUtils.toJSONString(event).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code GET /sessions} with the cookie of a live session whose user has one other session. */
    public byte[] signedInSessions() {
        String user = nextUser();
        newSession(user, null);
        Session s = newSession(user, null);
        Map<String, Object> event = parse(read("sessions"));
        event.put("cookies", List.of(s.cookie()));
        return JSONObjectUtils.toJSONString(event).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code POST /sessions/end} ending the user's other session by its handle, with this one's CSRF token. */
    public byte[] endSession() {
        String user = nextUser();
        newSession(user, null);
        Session s = newSession(user, null);
        String other = app.userSessions().list(s.active(), Instant.now()).stream()
                .filter(l -> !l.current()).findFirst().orElseThrow().handle();
        Map<String, Object> event = parse(read("end-session"));
        event.put("cookies", List.of(s.cookie()));
        event.put("body", "csrf=" + s.csrf() + "&session=" + other);
        return JSONObjectUtils.toJSONString(event).getBytes(StandardCharsets.UTF_8);
    }

    /** The operators' payload naming a user who has two sessions, by e-mail. */
    public byte[] endUserSessions() {
        String email = "leaver-" + random.next().substring(0, 8).toLowerCase(java.util.Locale.ROOT) + "@example.com";
        for (int i = 0; i < 2; i++) {
            app.sessions().start(CookiePolicy.sessionCookieName(ORIGIN),
                    new Identity("leaver-" + email, email, "Leaver", null, null),
                    new ProviderTokens(null, "ya29.bench-access", null), Instant.now());
        }
        return ("{\"email\":\"" + email + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** Something that can be told which nonce a code's ID token must carry. */
    public interface LoopbackProviderExpectation {
        void expect(String code, String nonce);
    }

    private record Session(String cookie, String csrf, Sessions.Active active) {
    }

    private Session newSession() {
        return newSession(nextUser(), null);
    }

    private Session newSession(Duration accessTokenLifetime) {
        return newSession(nextUser(), accessTokenLifetime);
    }

    /**
     * A user of her own per session (or pair of sessions): a user keeps at most Sessions.MAX_LIVE_PER_USER live
     * sessions, and a SnapStart child is handed 100 sessions at once, one per request.
     */
    private String nextUser() {
        return "1082042683" + sessionsMade.incrementAndGet();
    }

    private final java.util.concurrent.atomic.AtomicInteger sessionsMade = new java.util.concurrent.atomic.AtomicInteger();

    private Session newSession(String sub, Duration accessTokenLifetime) {
        String name = CookiePolicy.sessionCookieName(ORIGIN);
        Sessions.Started started = app.sessions().start(name,
                new Identity(sub, "alice@example.com", "Alice Example",
                        "https://lh3.googleusercontent.com/a/ACg8ocJ-bench=s96-c", null),
                new ProviderTokens(null, "ya29.bench-" + sub, "1//bench-" + sub, accessTokenLifetime,
                        "openid email profile"), Instant.now());
        Sessions.SessionId id = app.sessions().idFromCookie(name, List.of(started.cookieValue())).orElseThrow();
        return new Session(name + "=" + started.cookieValue(), app.sessions().csrfToken(id),
                new Sessions.Active(id.raw(), started.session()));
    }

    private String read(String name) {
        try {
            return Files.readString(events.resolve(name + ".json"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> parse(String json) {
        try {
            return JSONObjectUtils.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

}
