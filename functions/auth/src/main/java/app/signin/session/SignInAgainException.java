package app.signin.session;

import app.signin.error.Failure;

/**
 * No Google access token can be had for this request until the user signs in again: there is no live
 * session ({@link Failure#NOT_AUTHENTICATED}), or Google no longer honours the session's grant - the refresh
 * token was refused with {@code invalid_grant} (the session is then ended), or the access token expired and
 * there is no refresh token to renew it ({@link Failure#GOOGLE_AUTHORIZATION_ENDED}); both are 401. A caller
 * who sent a bearer token has no stored grant at all ({@link Failure#SESSION_REQUIRED}, 403). Answer it
 * with {@code JsonResponses.error(request, e.failure())}. The message is for logs and holds no token.
 */
public final class SignInAgainException extends RuntimeException {
    private final Failure failure;

    public SignInAgainException(Failure failure, String logDetail) {
        super(logDetail, null, false, false);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
