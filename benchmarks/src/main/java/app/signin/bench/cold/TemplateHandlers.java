package app.signin.bench.cold;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Each function's {@code Handler:} string as template.yaml declares it, so the bench starts what Lambda would. */
final class TemplateHandlers {
    private static final Pattern FUNCTION = Pattern.compile("^  (\\w+Function):\\s*$");
    private static final Pattern HANDLER = Pattern.compile("^\\s+Handler:\\s*(\\S+)\\s*$");

    private TemplateHandlers() {
    }

    private static final Pattern JAVA_TOOL_OPTIONS = Pattern.compile("^\\s+JAVA_TOOL_OPTIONS:\\s*\"([^\"]*)\"\\s*$");

    /** The functions' JAVA_TOOL_OPTIONS (the template sets it once, in Globals). */
    static String javaToolOptions(Path template) throws IOException {
        for (String line : Files.readAllLines(template)) {
            Matcher m = JAVA_TOOL_OPTIONS.matcher(line);
            if (m.matches()) {
                return m.group(1);
            }
        }
        throw new IllegalStateException("template.yaml sets no JAVA_TOOL_OPTIONS");
    }

    static Map<String, String> read(Path template) throws IOException {
        Map<String, String> handlers = new LinkedHashMap<>();
        String function = null;
        List<String> lines = Files.readAllLines(template);
        for (String line : lines) {
            Matcher f = FUNCTION.matcher(line);
            if (f.matches()) {
                function = f.group(1);
                continue;
            }
            Matcher h = HANDLER.matcher(line);
            if (h.matches() && function != null) {
                handlers.put(function, h.group(1));
                function = null;
            }
        }
        for (String name : List.of("IndexFunction", "LoginFunction", "CallbackFunction", "LogoutFunction",
                "AuthorizerFunction", "MeFunction", "SessionsFunction", "EndSessionFunction", "EndUserSessionsFunction")) {
            if (!handlers.containsKey(name)) {
                throw new IllegalStateException("template.yaml declares no Handler for " + name);
            }
        }
        return handlers;
    }
}
