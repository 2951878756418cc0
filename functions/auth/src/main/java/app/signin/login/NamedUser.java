package app.signin.login;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.json.Json;
import app.signin.json.JsonReader;
import app.signin.snapstart.SnapStartPriming;

/**
 * The user an operator names to end every session of: {@code {"sub": "..."}} (one Google account, whatever
 * address it had) or {@code {"email": "..."}} (every session carrying that address, whatever its account) -
 * exactly one of the two, a non-blank string.
 */
public record NamedUser(Kind kind, String value) {
    /** No real payload comes close; a larger one is refused unread. */
    public static final int MAX_PAYLOAD = 4096;

    /** Which name was given; it is what the log line says of the user, never the name itself. */
    public enum Kind {
        SUB, EMAIL;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT); // the payload's field name
        }
    }

    /** The payload of an {@code aws lambda invoke}; {@code BAD_REQUEST}, saying what is expected, otherwise. */
    public static NamedUser fromPayload(byte[] payload) {
        Map<?, ?> request;
        try {
            request = payload.length <= MAX_PAYLOAD && JsonReader.parse(payload) instanceof Map<?, ?> m ? m : Map.of();
        } catch (IOException e) {
            request = Map.of();
        }
        // Exactly one of the two keys, present: {"sub": 42, "email": "..."} or {"sub": null, "email": "..."} names
        // no one for sure, so it is refused rather than read as the e-mail alone.
        boolean bySub = request.containsKey("sub");
        if (bySub == request.containsKey("email")
                || !(request.get(bySub ? "sub" : "email") instanceof String name) || name.isBlank()) {
            throw new SignInException(Failure.BAD_REQUEST, "payload must be {\"sub\": \"...\"} or {\"email\": \"...\"}");
        }
        return new NamedUser(bySub ? Kind.SUB : Kind.EMAIL, name);
    }

    /**
     * The payload naming {@link SnapStartPriming#PRIMING_KEY} by {@code kind}, as an operator sends it: SnapStart
     * priming sends both kinds, for a user no session can have.
     */
    public static byte[] primingPayload(Kind kind) {
        String json = Json.object().put(kind.toString(), SnapStartPriming.PRIMING_KEY).toString();
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "NamedUser[" + kind + "]"; // the name itself is personal data: never in a log line
    }
}
