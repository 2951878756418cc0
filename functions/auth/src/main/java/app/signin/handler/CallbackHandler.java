package app.signin.handler;

import java.time.Instant;

import app.signin.App;
import app.signin.error.SignInException;
import app.signin.log.Function;
import app.signin.login.AuthorizationResponse;
import app.signin.login.CallbackProcessor;
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
        super(pipeline, Function.CALLBACK);
        this.callbackProcessor = callbackProcessor;
    }

    /**
     * A callback without state (refused before any store call), then {@link CallbackProcessor}'s own priming;
     * to warm the JIT, refused callbacks and session starts on an in-memory store ({@link JitWarming}).
     */
    @Override
    public void prime(SnapStartPriming priming) {
        primingRequest().send(priming, "/callback", "code=priming");
        callbackProcessor.prime(priming, pipeline().clock().instant());
        callbackProcessor.primeSessionStart(priming, new InMemorySessionStore());
        JitWarming.callback(priming, this);
    }

    @Override
    public HttpResponse handle(HttpRequest request, PublicOrigin origin, Instant now) {
        AuthorizationResponse response = CookiePolicy.authorizationResponse(origin, request);
        CallbackProcessor.Outcome outcome = callbackProcessor.complete(response, origin.redirectUri(), now);
        HttpResponse redirect = HttpResponse.redirect(303, origin.url(outcome.returnTo()));
        if (outcome instanceof CallbackProcessor.Completed done) {
            redirect.cookie(CookiePolicy.setSession(origin, done.sessionCookieValue(), done.cookieLifetime()));
        } else if (outcome instanceof CallbackProcessor.AlreadySignedIn signedIn) {
            redirect.refused(signedIn.refused()); // still counted as the refusal it is, not as a login
        }
        response.binding().filter(b -> b.sent() || outcome instanceof CallbackProcessor.Completed)
                .ifPresent(b -> redirect.cookie(CookiePolicy.clear(b.name())));
        return redirect;
    }

    /** A failed callback may still clear its binding cookie: {@link CookiePolicy#clearAfterFailedCallback} says when. */
    @Override
    public HttpResponse errorResponse(HttpRequest request, PublicOrigin origin, SignInException e) {
        return CookiePolicy.clearAfterFailedCallback(super.errorResponse(request, origin, e), origin, request, e);
    }
}
