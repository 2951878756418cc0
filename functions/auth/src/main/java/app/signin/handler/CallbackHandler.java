package app.signin.handler;

import java.time.Instant;

import app.signin.App;
import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.login.CallbackProcessor;
import app.signin.snapstart.SnapStartPriming;
import app.signin.web.HttpRequest;
import app.signin.web.HttpResponse;
import app.signin.web.Pages;
import app.signin.web.PublicOrigin;

/** {@code GET /callback}: check the state, exchange the code, verify the ID token, start the session. */
public final class CallbackHandler extends HttpHandler {

    /** Lambda's constructor: the container's graph, and SnapStart priming for this function. */
    public CallbackHandler() {
        this(App.fromEnvironment());
        SnapStartPriming.register(app, SnapStartPriming.Function.CALLBACK);
    }

    public CallbackHandler(App app) {
        super(app, "callback");
    }

    @Override
    HttpResponse handle(HttpRequest request, PublicOrigin origin, Instant now) {
        CallbackProcessor.Completed done = app.callbackProcessor().complete(request, origin, now);
        HttpResponse response = HttpResponse.redirect(303, done.location());
        done.cookies().forEach(response::cookie);
        return response;
    }

    @Override
    HttpResponse errorResponse(HttpRequest request, PublicOrigin origin, SignInException e) {
        HttpResponse response = super.errorResponse(request, origin, e);
        if (origin != null && (e.failure().retryAfterSeconds() == 0 || e.isAttemptSpent())) {
            // The attempt is over: drop its binding cookie so it does not linger in the browser. A 503 before
            // the pending login was consumed is not the end of it: reloading this URL once the store or the
            // provider answers again can still finish the login - for that the binding cookie must survive.
            CallbackProcessor.clearBindingCookie(request, origin).ifPresent(response::cookie);
        }
        return response;
    }
}
