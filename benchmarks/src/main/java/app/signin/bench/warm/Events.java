package app.signin.bench.warm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.util.JSONObjectUtils;

/** The repository's {@code events/*.json}, with the cookies, state and CSRF token a benchmark needs. */
final class Events {
    private Events() {
    }

    static byte[] index(List<String> cookies) {
        Map<String, Object> e = read("index");
        if (!cookies.isEmpty()) {
            e.put("cookies", cookies);
        }
        return bytes(e);
    }

    static byte[] login() {
        return bytes(read("login"));
    }

    static byte[] callback(String state, String code, List<String> cookies) {
        Map<String, Object> e = read("callback");
        e.put("rawQueryString", "state=" + state + "&code=" + java.net.URLEncoder.encode(code, StandardCharsets.UTF_8)
                + "&scope=email+profile+openid&authuser=0&prompt=none");
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) e.get("queryStringParameters");
        params.put("state", state);
        params.put("code", code);
        e.put("cookies", cookies);
        return bytes(e);
    }

    /** The authorizer's event for {@code GET /api/hello}, with the cookie as API Gateway passes it. */
    static byte[] authorizer(String cookie) {
        Map<String, Object> e = read("authorizer");
        e.put("cookies", List.of(cookie));
        e.put("identitySource", List.of(cookie, "GET /api/hello"));
        return bytes(e);
    }

    static byte[] logout(List<String> cookies, String csrf) {
        Map<String, Object> e = read("logout");
        e.put("cookies", cookies);
        e.put("body", "csrf=" + csrf);
        return bytes(e);
    }

    private static Map<String, Object> read(String name) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("events/" + name + ".json"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("events/" + name + ".json not found above " + Path.of("").toAbsolutePath());
        }
        try {
            return JSONObjectUtils.parse(Files.readString(dir.resolve("events/" + name + ".json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(Map<String, Object> event) {
        return JSONObjectUtils.toJSONString(event).getBytes(StandardCharsets.UTF_8);
    }
}
