package app.signin.login;

import java.util.Optional;

import app.signin.session.SentCookie;

/**
 * The provider's redirect back to us as the browser delivered it: the authorization response's parameters
 * (RFC 6749 section 4.1.2, RFC 9207 {@code iss}) and the cookies that decide what it may do - the binding
 * cookie named after its state (absent when the state is missing or malformed) and any session cookie the
 * browser already has. Each parameter appeared at most once; the handler refuses repeats. {@code device} is
 * the browser's description from its User-Agent ({@code session.DeviceDescription}), kept with the session.
 */
public record AuthorizationResponse(Optional<String> code, Optional<String> state, Optional<String> iss,
        Optional<String> error, Optional<SentCookie> binding, SentCookie session, String device) {

    @Override
    public String toString() {
        // Never the code or the state: either would let a reader of the logs finish this login.
        return "AuthorizationResponse[code=" + code.isPresent() + ", state=" + state.isPresent() + ", iss="
                + iss.isPresent() + ", error=" + error.isPresent() + "]";
    }
}
