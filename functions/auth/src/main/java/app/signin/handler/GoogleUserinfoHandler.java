package app.signin.handler;

import java.time.Instant;

import app.signin.App;
import app.signin.log.Function;
import app.signin.oidc.Provider;
import app.signin.protect.GoogleAccessTokens;
import app.signin.snapstart.SnapStartPriming;
import app.signin.web.HttpRequest;
import app.signin.web.HttpResponse;
import app.signin.web.Pipeline;
import app.signin.web.PublicOrigin;

/**
 * {@code GET /api/google/userinfo} behind the authorizer: the example of calling a Google API for the user -
 * the provider's userinfo endpoint with their access token from {@link GoogleAccessTokens}. 200 with the flat
 * claims, never the token; JSON errors: 401 (sign in again), 403 {@code session_required} (a bearer caller
 * has no stored grant), 502 / 503 (Google or DynamoDB failed).
 */
public final class GoogleUserinfoHandler extends HttpHandler {
    private final GoogleAccessTokens google;
    private final Provider provider;

    /** Lambda's constructor: the container's graph. */
    public GoogleUserinfoHandler() {
        this(App.fromEnvironment().pipeline(), App.fromEnvironment().googleAccessTokens(),
                App.fromEnvironment().provider());
    }

    public GoogleUserinfoHandler(Pipeline pipeline, GoogleAccessTokens google, Provider provider) {
        super(pipeline, Function.GOOGLE_USERINFO);
        this.google = google;
        this.provider = provider;
    }

    /**
     * A request without a cookie (401 before any call), the discovery document (where the userinfo and token
     * endpoints come from; login and logout prime it too, else the first request after each restore fetches
     * it), then the refresh path's store calls and cipher. Nothing is sent to Google's userinfo or token
     * endpoints: there is no user to send.
     */
    @Override
    public void prime(SnapStartPriming priming) {
        primingRequest().send(priming, "/api/google/userinfo", "");
        provider.prime(priming);
        google.prime(priming, pipeline().clock().instant());
    }

    @Override
    public HttpResponse handle(HttpRequest request, PublicOrigin origin, Instant now) {
        // SignInAgainException: 401 / 403; userinfo's own 401 marks the token expired (GoogleAccessTokens.call)
        return HttpResponse.json(200, google.call(request, token -> provider.userinfoJson(token.value(), token.sub())));
    }
}
