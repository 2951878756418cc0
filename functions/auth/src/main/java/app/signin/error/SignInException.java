package app.signin.error;

/**
 * The one exception type the domain throws. Its {@link Failure} decides the status and page; the optional
 * detail is for the logs and must never contain a token, code, cookie or secret.
 */
public final class SignInException extends RuntimeException {
    private final Failure failure;
    private final String userDetail;

    public SignInException(Failure failure, String logDetail) {
        this(failure, logDetail, null, null);
    }

    public SignInException(Failure failure, String logDetail, Throwable cause) {
        this(failure, logDetail, null, cause);
    }

    /** {@code userDetail} is shown (HTML-escaped) on the error page; keep it free of secrets. */
    public SignInException(Failure failure, String logDetail, String userDetail, Throwable cause) {
        super(failure.reason() + (logDetail == null ? "" : ": " + logDetail), cause, false, false);
        this.failure = failure;
        this.userDetail = userDetail;
    }

    public Failure failure() {
        return failure;
    }

    public String userDetail() {
        return userDetail;
    }
}
