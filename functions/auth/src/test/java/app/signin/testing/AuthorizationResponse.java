package app.signin.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The provider's answer as the browser carries it back to {@code /callback}: a good one, taken from a real
 * login, to change one field of - in the style of Spring Security's
 * {@code TestOAuth2AuthorizationResponses.success().state("89012")}:
 * <pre>{@code
 * AuthorizationResponse good = site.authorizationResponse(login, "user-1", ProviderSignIn.user(..));
 * browser.get(good.with("iss", "https://evil.example").uri());   // one parameter replaced (or added)
 * browser.get(good.plus("code", "other").uri());                 // one parameter duplicated
 * browser.get(good.without("state").uri());
 * }</pre>
 * Parameters keep their order and their encoding as the provider sent them; values set here are encoded.
 */
public record AuthorizationResponse(String path, List<Map.Entry<String, String>> rawParameters) {

    public AuthorizationResponse {
        rawParameters = List.copyOf(rawParameters);
    }

    /** Parses {@code /callback?code=...&state=...} as a browser would send it. */
    public static AuthorizationResponse of(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        List<Map.Entry<String, String>> parameters = new ArrayList<>();
        if (q >= 0 && q + 1 < pathAndQuery.length()) {
            for (String pair : pathAndQuery.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                parameters.add(eq < 0 ? Map.entry(pair, "") : Map.entry(pair.substring(0, eq), pair.substring(eq + 1)));
            }
        }
        return new AuthorizationResponse(q < 0 ? pathAndQuery : pathAndQuery.substring(0, q), parameters);
    }

    /** The same response with {@code name} set to {@code value}: replaced in place, or added at the end. */
    public AuthorizationResponse with(String name, String value) {
        List<Map.Entry<String, String>> changed = new ArrayList<>();
        boolean replaced = false;
        for (Map.Entry<String, String> p : rawParameters) {
            if (p.getKey().equals(name) && !replaced) {
                changed.add(Map.entry(name, encode(value)));
                replaced = true;
            } else if (!p.getKey().equals(name)) {
                changed.add(p);
            }
        }
        if (!replaced) {
            changed.add(Map.entry(name, encode(value)));
        }
        return new AuthorizationResponse(path, changed);
    }

    public AuthorizationResponse state(String state) {
        return with("state", state);
    }

    public AuthorizationResponse code(String code) {
        return with("code", code);
    }

    /** The same response with one more {@code name=value} at the end, beside any already there. */
    public AuthorizationResponse plus(String name, String value) {
        List<Map.Entry<String, String>> changed = new ArrayList<>(rawParameters);
        changed.add(Map.entry(name, encode(value)));
        return new AuthorizationResponse(path, changed);
    }

    /** The same response without any {@code name} parameter. */
    public AuthorizationResponse without(String name) {
        return new AuthorizationResponse(path, rawParameters.stream().filter(p -> !p.getKey().equals(name)).toList());
    }

    /** A parameter's value as sent (still URL-encoded); the first one if it is repeated. */
    public String raw(String name) {
        return rawParameters.stream().filter(p -> p.getKey().equals(name)).map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + name + " in " + uri()));
    }

    /** Path and query, ready for {@link Browser#get}. */
    public String uri() {
        return rawParameters.isEmpty() ? path
                : path + "?" + rawParameters.stream().map(p -> p.getKey() + "=" + p.getValue()).collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
