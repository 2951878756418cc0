package app.signin.handler;

import java.time.Instant;
import java.util.Optional;

import app.signin.App;
import app.signin.error.SignInException;
import app.signin.log.Function;
import app.signin.login.AuthorizationResponse;
import app.signin.login.CallbackProcessor;
import app.signin.session.DeviceDescription;
import app.signin.session.SentCookie;
import app.signin.snapstart.SnapStartPriming;
import app.signin.store.InMemorySessionStore;
import app.signin.web.CookiePolicy;
import app.signin.web.HttpRequest;
import app.signin.web.HttpResponse;
import app.signin.web.Pipeline;
import app.signin.web.PublicOrigin;

/** {@code GET /callback}: check the state, exchange the code, verify the ID token, start the session. */
public final class CallbackHandler extends HttpHandler {
    private final CallbackProcessor callbackProcessor;

    /** Lambda's constructor: the container's graph. */
    public CallbackHandler() {
        this(App.fromEnvironment().pipeline(), App.fromEnvironment().callbackProcessor());
    }

    public CallbackHandler(Pipeline pipeline, CallbackProcessor callbackProcessor) {
        super(pipeline, Function.CALLBACK, "/callback");
        this.callbackProcessor = callbackProcessor;
    }

    /**
     * A callback without state (refused before any store call), then {@link CallbackProcessor}'s own priming;
     * to warm the JIT, refused callbacks and session starts on an in-memory store ({@link JitWarming}).
     */
    @Override
    public void prime(SnapStartPriming priming) {
        primeRequest(priming, "code=priming");
        callbackProcessor.prime(priming, pipeline().clock().instant());
        callbackProcessor.primeSessionStart(priming, new InMemorySessionStore());
        JitWarming.callback(priming, this);
    }

    @Override
    public HttpResponse handle(HttpRequest request, PublicOrigin origin, Instant now) {
        Optional<String> state = request.queryParam("state");
        Optional<SentCookie> binding = CookiePolicy.loginCookieName(origin, state).map(name -> CookiePolicy.sent(request, name));
        AuthorizationResponse response = new AuthorizationResponse(request.queryParam("code"), state,
                request.queryParam("iss"), request.queryParam("error"), binding, CookiePolicy.sessionCookie(origin, request),
                DeviceDescription.of(request.header("user-agent").orElse(null)));
        CallbackProcessor.Outcome outcome = callbackProcessor.complete(response, origin.redirectUri(), now);
        HttpResponse redirect = HttpResponse.redirect(303, origin.url(outcome.returnTo()));
        if (outcome instanceof CallbackProcessor.Completed done) {
            redirect.cookie(CookiePolicy.setSession(origin, done.sessionCookieValue(), done.cookieLifetime()));
        } else if (outcome instanceof CallbackProcessor.AlreadySignedIn signedIn) {
            redirect.refused(signedIn.refused()); // still counted as the refusal it is, not as a login
        }
        binding.filter(b -> b.sent() || outcome instanceof CallbackProcessor.Completed)
                .ifPresent(b -> redirect.cookie(CookiePolicy.clear(b.name())));
        return redirect;
    }

    /**
     * The attempt is over: drop its binding cookie so it does not linger in the browser. A 503 before the
     * pending login was consumed is not the end of it: reloading this URL once the store or the provider
     * answers again can still finish the login - for that the binding cookie must survive.
     */
    @Override
    public HttpResponse errorResponse(HttpRequest request, PublicOrigin origin, SignInException e) {
        HttpResponse response = super.errorResponse(request, origin, e);
        if (origin != null && (e.failure().retryAfterSeconds() == 0 || e.isAttemptSpent())) {
            CookiePolicy.loginCookieNameToClear(origin, request).map(CookiePolicy::clear).ifPresent(response::cookie);
        }
        return response;
    }
}
