package app.signin.error;

/**
 * Every way a request can fail, each with one HTTP status, a reason code for logs and metrics, and the
 * words shown to the user. Handlers never choose a status themselves; they throw a {@link SignInException}
 * with one of these.
 *
 * <p>The words here are the JSON errors' {@code message}, for developers. Pages show the message bundle's
 * text for each reason ({@code failure.<reason>.*} in {@code app/signin/web/messages.properties}), which a
 * team may translate. Neither names Google: the provider is configured ({@code OIDC_ISSUER}); the pages
 * fill in its name, these developer messages say "the identity provider".
 */
public enum Failure {
    BAD_REQUEST(400, "bad_request", "Bad request", "The request was malformed."),
    NOT_FOUND(404, "not_found", "Not found", "There is nothing at this address."),
    STATE_MISSING(400, "state_missing", "Sign-in failed",
            "The sign-in response had no state. Please start again."),
    STATE_UNKNOWN(400, "state_unknown", "Sign-in expired",
            "This sign-in attempt is unknown, has expired or was already used. Please start again."),
    STATE_MISMATCH(400, "state_mismatch", "Sign-in failed",
            "This sign-in link has expired, was already used, or was started in another browser. Please start again."),
    ISSUER_MISMATCH(400, "issuer_mismatch", "Sign-in failed",
            "The sign-in response came from an unexpected identity provider."),
    PROVIDER_ERROR(400, "provider_error", "Sign-in was not completed",
            "The sign-in was cancelled or not completed."),
    CODE_MISSING(400, "code_missing", "Sign-in failed", "The sign-in response had no authorization code."),
    CODE_REJECTED(400, "code_rejected", "Sign-in failed",
            "The identity provider refused the sign-in code (it may have expired or been used). Please start again."),
    TOKEN_EXCHANGE_FAILED(502, "token_exchange_failed", "Sign-in failed",
            "The identity provider's token service gave an unusable answer. Please try again."),
    ID_TOKEN_INVALID(401, "id_token_invalid", "Sign-in failed",
            "The identity token could not be verified."),
    EMAIL_NOT_VERIFIED(403, "email_not_verified", "E-mail address not verified",
            "The account's e-mail address is not verified by the identity provider."),
    ACCESS_DENIED(403, "access_denied", "Access denied", "This account is not allowed to sign in here."),
    CSRF_REJECTED(403, "csrf_rejected", "Request refused",
            "This request did not come from this site. Use the Sign out button on the site itself."),
    NOT_AUTHENTICATED(401, "not_authenticated", "Not signed in", "You are not signed in."),
    /**
     * An {@code Authorization} header that does not carry a usable bearer token (RFC 6750 3.1): missing,
     * malformed, expired, for another audience, or for an account that may not use this API.
     */
    INVALID_TOKEN(401, "invalid_token", "Not signed in",
            "The bearer token is missing, malformed, expired or otherwise invalid."),
    GOOGLE_AUTHORIZATION_ENDED(401, "google_authorization_ended", "Sign in again",
            "The identity provider no longer accepts this sign-in for calls on your behalf. Please sign in again."),
    /**
     * A caller who proved who they are with a bearer token (an ID token), not a session: there is no stored
     * grant to call the provider's APIs with, and signing in again with a token would not make one.
     */
    SESSION_REQUIRED(403, "session_required", "Session required",
            "Calls on your behalf need a signed-in browser session; a bearer token carries no stored grant."),
    GOOGLE_API_FAILED(502, "google_api_failed", "Call on your behalf failed",
            "The identity provider gave an unusable answer. Please try again."),
    STORE_UNAVAILABLE(503, "store_unavailable", "Temporarily unavailable",
            "The session store is not answering. Please try again in a moment."),
    SECRET_UNAVAILABLE(503, "secret_unavailable", "Temporarily unavailable",
            "The sign-in service could not read its configuration. Please try again in a moment."),
    PROVIDER_UNAVAILABLE(503, "provider_unavailable", "Temporarily unavailable",
            "The identity provider's sign-in service is not answering. Please try again in a moment."),
    INTERNAL(500, "internal_error", "Something went wrong",
            "An unexpected error occurred. Please try again; if it persists, quote the request id below."),
    PROVIDER_TIMEOUT(504, "provider_timeout", "Sign-in timed out",
            "The identity provider's token service did not answer in time. Please start again.");

    private final int status;
    private final String reason;
    private final String title;
    private final String message;

    Failure(int status, String reason, String title, String message) {
        this.status = status;
        this.reason = reason;
        this.title = title;
        this.message = message;
    }

    public int status() {
        return status;
    }

    /** Stable, machine-readable code used in logs, metrics and JSON errors. */
    public String reason() {
        return reason;
    }

    public String title() {
        return title;
    }

    public String message() {
        return message;
    }

    /** Seconds a client should wait before retrying, for the failures that are worth retrying. */
    public int retryAfterSeconds() {
        return status == 503 ? 5 : 0;
    }
}
