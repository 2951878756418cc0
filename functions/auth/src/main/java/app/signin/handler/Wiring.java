package app.signin.handler;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import app.signin.App;
import app.signin.health.HealthCheck;

/**
 * Each page handler (and the authorizer) built over an existing graph with exactly the collaborators it uses - for the callers
 * that hold an {@link App} rather than the environment Lambda's no-argument constructors read: the local
 * runner, SnapStart priming, tests and benchmarks. The one place besides those constructors where a handler
 * meets {@link App}.
 */
public final class Wiring {
    private Wiring() {
    }

    public static IndexHandler index(App app) {
        return new IndexHandler(app.pipeline(), app.sessions());
    }

    public static LoginHandler login(App app) {
        return new LoginHandler(app.pipeline(), app.loginStarter(), app.config().allowedReturnOrigins());
    }

    public static CallbackHandler callback(App app) {
        return new CallbackHandler(app.pipeline(), app.callbackProcessor());
    }

    public static LogoutHandler logout(App app) {
        return new LogoutHandler(app.pipeline(), app.signOut());
    }

    public static NotFoundHandler notFound(App app) {
        return new NotFoundHandler(app.pages(), app.log());
    }

    public static AuthorizerHandler authorizer(App app) {
        return new AuthorizerHandler(app.pipeline(), app.authorizer());
    }

    /** {@code /health} over {@code app}, its store probe on {@code app}'s clock. */
    public static HealthHandler health(App app) {
        return health(() -> app, HealthCheck.PROBE_REUSE, app.clock());
    }

    /** {@code /health} over an application that may fail to build, retried at most every {@code reloadInterval}. */
    public static HealthHandler health(Supplier<App> app, Duration reloadInterval, Clock clock) {
        return new HealthHandler(healthCheck(app, reloadInterval, clock));
    }

    /** Exactly what the health check probes, taken from the application once it builds. */
    static HealthCheck healthCheck(Supplier<App> app, Duration reloadInterval, Clock clock) {
        return new HealthCheck(() -> {
            App built = app.get();
            return new HealthCheck.Probed(built.pipeline(), built.store()::checkReachable);
        }, reloadInterval, clock);
    }

    /**
     * {@code /api/me} with the graph's sibling origins: its no-argument constructor reads them from the
     * process environment, which is not where the local runner and the tests keep their configuration.
     */
    public static MeHandler me(App app) {
        return new MeHandler(app.log(), app.config().allowedReturnOrigins());
    }

    public static GoogleUserinfoHandler googleUserinfo(App app) {
        return new GoogleUserinfoHandler(app.pipeline(), app.googleAccessTokens(), app.provider());
    }

    public static SessionsHandler sessions(App app) {
        return new SessionsHandler(app.pipeline(), app.sessions(), app.userSessions());
    }

    public static EndSessionHandler endSession(App app) {
        return new EndSessionHandler(app.pipeline(), app.signOut());
    }

    public static EndUserSessionsHandler endUserSessions(App app) {
        return new EndUserSessionsHandler(app.pipeline(), app.signOut());
    }

    /** The handler of this class over {@code app}, if it is one of the handlers above. */
    public static Optional<Object> handler(Class<?> type, App app) {
        return Optional.ofNullable(type == IndexHandler.class ? index(app)
                : type == LoginHandler.class ? login(app)
                : type == CallbackHandler.class ? callback(app)
                : type == LogoutHandler.class ? logout(app)
                : type == NotFoundHandler.class ? notFound(app)
                : type == AuthorizerHandler.class ? authorizer(app)
                : type == HealthHandler.class ? health(app)
                : type == GoogleUserinfoHandler.class ? googleUserinfo(app)
                : type == MeHandler.class ? me(app)
                : type == SessionsHandler.class ? sessions(app)
                : type == EndSessionHandler.class ? endSession(app)
                : type == EndUserSessionsHandler.class ? endUserSessions(app)
                : null);
    }
}
