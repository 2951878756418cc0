package app.signin.handler;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import app.signin.crypto.RandomTokens;
import app.signin.login.LoginStarter;
import app.signin.login.SignOut;
import app.signin.net.WebOrigin;
import app.signin.oidc.Identity;
import app.signin.oidc.ProviderTokens;
import app.signin.protect.Authorizer;
import app.signin.session.Sessions;
import app.signin.snapstart.SnapStartPriming;
import app.signin.store.InMemorySessionStore;
import app.signin.web.CookiePolicy;
import app.signin.web.Pipeline;
import app.signin.web.PrimingRequest;
import app.signin.web.PublicOrigin;

/**
 * The handlers' JIT warming (issue 14): each function's hot path, the request a real user sends, repeated by
 * SnapStart priming ({@link SnapStartPriming#warm}) so that the first requests after a restore run compiled
 * code. The requests go to copies of the handlers over throwaway sessions - an in-memory store and a random
 * source of their own - through a pipeline that logs and counts nowhere: nothing is drawn from the
 * application's {@code SecureRandom}, nothing reaches the real store, no metric sees them.
 */
final class JitWarming {
    private JitWarming() {
    }

    /** The login redirect, through a copy whose starter draws from its own random source into an in-memory store. */
    static void login(SnapStartPriming priming, Pipeline pipeline, LoginStarter loginStarter,
            Set<WebOrigin> returnOrigins) {
        PrimingRequest copy = new LoginHandler(pipeline, loginStarter.onThrowaways(new InMemorySessionStore(),
                new RandomTokens(new SecureRandom())), returnOrigins).primingRequest();
        copy.send(priming, "/login", "return_to=%2F");
        priming.warm("login", SnapStartPriming.JIT_ROUNDS, copy.request("GET", "/login", "return_to=%2F", null, null));
    }

    /** The signed-in page. */
    static void index(SnapStartPriming priming, Pipeline pipeline, Sessions sessions) {
        priming.step("signed-in page", () -> {
            Sessions copy = throwaway(sessions);
            IndexHandler handler = new IndexHandler(pipeline, copy);
            priming.warm("signed-in page", SnapStartPriming.JIT_ROUNDS,
                    handler.primingRequest().request("GET", "/", "", signedIn(copy, pipeline).cookie(), null));
        });
    }

    /** A signed-in API request, allowed by its session cookie. */
    static void authorizer(SnapStartPriming priming, Pipeline pipeline, Authorizer authorizer, Sessions sessions) {
        priming.step("signed-in request", () -> {
            Sessions copy = throwaway(sessions);
            AuthorizerHandler handler = new AuthorizerHandler(pipeline.quiet(), authorizer.over(copy));
            priming.warm("signed-in request", SnapStartPriming.JIT_ROUNDS, new PrimingRequest(handler)
                    .request("GET", "/api/hello", "", signedIn(copy, pipeline).cookie(), null));
        });
    }

    /** The Sign out page and the Sign out POST, each POST ending a session started for it (nothing to revoke). */
    static void logout(SnapStartPriming priming, Pipeline pipeline, SignOut signOut) {
        priming.step("sign out", () -> {
            Sessions copy = throwaway(signOut.sessions());
            LogoutHandler handler = new LogoutHandler(pipeline, signOut.over(copy));
            priming.warm("sign-out page", SnapStartPriming.JIT_ROUNDS / 4,
                    handler.primingRequest().request("GET", "/logout", "", signedIn(copy, pipeline).cookie(), null));
            priming.warm("sign out", SnapStartPriming.JIT_ROUNDS, () -> {
                Session s = signedIn(copy, pipeline);
                handler.primingRequest().request("POST", "/logout", "", s.cookie(), "csrf=" + s.csrf()).run();
            });
        });
    }

    /** A callback whose binding cookie does not verify: refused before any store or provider call. */
    static void callback(SnapStartPriming priming, CallbackHandler handler) {
        priming.step("refused callback", () -> {
            String state = "A".repeat(43);
            String binding = CookiePolicy.loginCookieName(PrimingRequest.origin(handler.pipeline()), Optional.of(state))
                    .orElseThrow();
            priming.warm("refused callback", SnapStartPriming.JIT_ROUNDS, handler.primingRequest().request("GET",
                    "/callback", "code=priming&state=" + state, binding + "=v1.AAAAAAAA.AAAA.AAAA", null));
        });
    }

    /** The application's sessions over an in-memory store and a random source of their own. */
    static Sessions throwaway(Sessions sessions) {
        return sessions.onThrowaways(new InMemorySessionStore(), new SecureRandom());
    }

    /** A session started on throwaway {@code sessions}: the cookie a browser sends ({@code name=value}), its CSRF token. */
    record Session(String cookie, String csrf) {
    }

    static Session signedIn(Sessions throwaway, Pipeline pipeline) {
        String name = CookiePolicy.sessionCookieName(PrimingRequest.origin(pipeline));
        Sessions.Started started = throwaway.start(name, new Identity(SnapStartPriming.PRIMING_KEY,
                "priming@priming.invalid", "Priming", null, null), new ProviderTokens(null, null, null), Instant.now());
        Sessions.SessionId id = throwaway.idFromCookie(name, List.of(started.cookieValue())).orElseThrow();
        return new Session(name + "=" + started.cookieValue(), throwaway.csrfToken(id));
    }
}
