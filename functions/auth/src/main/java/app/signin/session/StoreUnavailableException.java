package app.signin.session;

/** The session store could not answer in time (throttled, failing, unreachable). Maps to 503. */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
