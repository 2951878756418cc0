package app.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages of the compiled main code, as {@code jdeps} sees them, depend on each other in one direction:
 * a request's path reads handler -> domain -> store / provider, and nothing below calls back up.
 */
class PackageCyclesTest {
    static final Pattern EDGE = Pattern.compile("^\\s+(app\\.signin[\\w.]*)\\s+->\\s+(app\\.signin[\\w.]*)\\s", Pattern.MULTILINE);
    static Map<String, Set<String>> uses;

    @BeforeAll
    static void readDependencies() {
        Path classes = Path.of("target/classes");
        assertThat(Files.isDirectory(classes)).as("compiled main classes at " + classes.toAbsolutePath()).isTrue();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-verbose:package",
                "-filter:none", "--ignore-missing-deps", classes.toString());
        assertThat(status).as("jdeps exit status").isZero();
        uses = new TreeMap<>();
        Matcher m = EDGE.matcher(out.toString());
        while (m.find()) {
            if (!m.group(1).equals(m.group(2))) {
                uses.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
            }
        }
        assertThat(uses).as("jdeps found the packages' dependencies").containsKeys("app.signin.handler", "app.signin.login");
    }

    @Test
    void mainPackages_formNoCycle() {
        assertThat(cycles()).isEmpty();
    }

    @Test
    void snapstart_dependsOnNothingAboveIt() {
        assertThat(uses.getOrDefault("app.signin.snapstart", Set.of())).isEmpty();
    }

    /** Strongly connected components of more than one package (Tarjan). */
    static List<List<String>> cycles() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<List<String>> found = new ArrayList<>();
        for (String p : uses.keySet()) {
            if (!index.containsKey(p)) {
                visit(p, index, low, stack, found);
            }
        }
        return found;
    }

    private static void visit(String p, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
            List<List<String>> found) {
        index.put(p, index.size());
        low.put(p, index.get(p));
        stack.push(p);
        for (String q : uses.getOrDefault(p, Set.of())) {
            if (!index.containsKey(q)) {
                visit(q, index, low, stack, found);
                low.put(p, Math.min(low.get(p), low.get(q)));
            } else if (stack.contains(q)) {
                low.put(p, Math.min(low.get(p), index.get(q)));
            }
        }
        if (low.get(p).equals(index.get(p))) {
            List<String> component = new ArrayList<>();
            String q;
            do {
                q = stack.pop();
                component.add(q);
            } while (!q.equals(p));
            if (component.size() > 1) {
                found.add(component);
            }
        }
    }
}
