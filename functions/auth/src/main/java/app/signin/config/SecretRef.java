package app.signin.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import app.signin.json.JsonReader;

/**
 * Where one secret comes from: its value in the environment ({@code name}) or a Secrets Manager ARN
 * ({@code name_ARN}). A secret read from Secrets Manager may be the value alone (what the template stores
 * and generates) or a JSON object holding it under {@code jsonKey} (what the console's key/value form
 * makes); anything else that looks like JSON is refused, since sending it verbatim would fail every use.
 * Messages name the variable and the expected shape, never the secret.
 */
record SecretRef(String name, String value, String arn, String jsonKey) {
    /** The member of a JSON secret that holds the Google client secret. */
    static final String CLIENT_SECRET_KEY = "client_secret";
    /** The member of a JSON secret that holds the session keys (separated by whitespace or commas). */
    static final String SESSION_SECRET_KEY = "session_secret";

    static Checked<SecretRef> from(Env env, String name, String arnName, String jsonKey) {
        Optional<String> value = env.optional(name);
        Optional<String> arn = env.optional(arnName);
        if (value.isPresent() && arn.isPresent()) {
            return Checked.of(new SecretRef(name, value.get(), null, jsonKey),
                    List.of(name + " and " + arnName + " are both set; set exactly one"));
        }
        if (value.isEmpty() && arn.isEmpty()) {
            return Checked.of(new SecretRef(name, null, null, jsonKey),
                    List.of(name + " (or " + arnName + ") is not set"));
        }
        SecretRef ref = new SecretRef(name, value.orElse(null), arn.orElse(null), jsonKey);
        if (arn.isPresent() && !arn.get().matches("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:.+")) {
            return Checked.of(ref, List.of(arnName + " is not a Secrets Manager secret ARN"));
        }
        return Checked.ok(ref);
    }

    /** The secret's value, fetched through {@code fetcher} when given as an ARN. */
    Checked<String> resolve(Function<String, String> fetcher) {
        if (value != null) {
            return Checked.ok(value);
        }
        String fetched;
        try {
            fetched = fetcher.apply(arn);
        } catch (RuntimeException e) {
            // The message names the variable and the exception type only: secret material never.
            return Checked.failed(arnName() + " could not be read from Secrets Manager (" + e.getClass().getSimpleName() + ")");
        }
        if (fetched == null || fetched.isBlank()) {
            return Checked.failed(arnName() + " names a secret with no string value");
        }
        return unwrap(fetched.strip());
    }

    /** The plain form as it is; the JSON form's {@code jsonKey} member; nothing else. */
    Checked<String> unwrap(String secretString) {
        char first = secretString.charAt(0);
        if (first != '{' && first != '[' && first != '"') {
            return Checked.ok(secretString);
        }
        String expected = "; store the secret alone or as {\"" + jsonKey + "\": \"<value>\"}";
        // The project's one JSON reader, not Nimbus's: a secret is read once per container and needs
        // nothing more than an object with a string member.
        Object parsed;
        try {
            parsed = JsonReader.parse(secretString.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            parsed = null;
        }
        if (!(parsed instanceof Map<?, ?> json)) {
            return Checked.failed(arnName() + " names a secret that looks like JSON but is not a JSON object" + expected);
        }
        if (!(json.get(jsonKey) instanceof String member)) {
            return Checked.failed(arnName() + " names a JSON secret without a string \"" + jsonKey + "\" member" + expected);
        }
        if (member.isBlank()) {
            return Checked.failed(arnName() + " names a JSON secret whose \"" + jsonKey + "\" member is empty" + expected);
        }
        return Checked.ok(member.strip());
    }

    private String arnName() {
        return name + "_ARN";
    }

    /** Never the value: a logged reference leaks nothing. */
    @Override
    public String toString() {
        return "SecretRef[" + (value != null ? name : arnName() + "=" + arn) + "]";
    }
}
