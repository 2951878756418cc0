package app.signin.config;

import java.util.ArrayList;
import java.util.List;

/**
 * What a sign-in asks Google for beyond the user's identity: the extra scopes of {@code GOOGLE_SCOPES} (for
 * the Google APIs your functions call for the user) and, with {@code GOOGLE_OFFLINE_ACCESS}, a refresh token
 * so those calls keep working after the first hour.
 */
public record GoogleApiAccess(List<String> extraScopes, boolean offlineAccess) {
    /** Always requested: the sign-in itself needs them. */
    public static final List<String> BASE_SCOPES = List.of("openid", "email", "profile");
    /** Identity only, as without either variable. */
    public static final GoogleApiAccess NONE = new GoogleApiAccess(List.of(), false);

    public GoogleApiAccess {
        extraScopes = List.copyOf(extraScopes);
    }

    /** The {@code scope} parameter's value: the base scopes, then the extra ones, space-separated. */
    public String scope() {
        List<String> all = new ArrayList<>(BASE_SCOPES);
        all.addAll(extraScopes);
        return String.join(" ", all);
    }
}
