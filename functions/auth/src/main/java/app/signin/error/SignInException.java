package app.signin.error;

/**
 * The one exception type the domain throws. Its {@link Failure} decides the status and page; the optional
 * detail is for the logs and must never contain a token, code, cookie or secret.
 */
public final class SignInException extends RuntimeException {
    private final Failure failure;
    private final String userDetail;
    private final boolean attemptSpent;

    public SignInException(Failure failure, String logDetail) {
        this(failure, logDetail, null, null);
    }

    public SignInException(Failure failure, String logDetail, Throwable cause) {
        this(failure, logDetail, null, cause);
    }

    /** {@code userDetail} is shown (HTML-escaped) on the error page; keep it free of secrets. */
    public SignInException(Failure failure, String logDetail, String userDetail, Throwable cause) {
        this(failure, failure.reason() + (logDetail == null ? "" : ": " + logDetail), userDetail, cause, false);
    }

    private SignInException(Failure failure, String message, String userDetail, Throwable cause, boolean attemptSpent) {
        super(message, cause, false, false);
        this.failure = failure;
        this.userDetail = userDetail;
        this.attemptSpent = attemptSpent;
    }

    /**
     * The same failure, raised after the login attempt was used up (its pending login consumed): retrying
     * the request cannot succeed, so the response must not invite it.
     */
    public SignInException attemptSpent() {
        return attemptSpent ? this : new SignInException(failure, getMessage(),
                "This sign-in attempt cannot be resumed. Please start again.", getCause(), true);
    }

    public boolean isAttemptSpent() {
        return attemptSpent;
    }

    public Failure failure() {
        return failure;
    }

    public String userDetail() {
        return userDetail;
    }
}
