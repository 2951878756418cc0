package app.signin.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import app.signin.App;

/**
 * No package of {@code functions/auth} reaches itself again through other packages - in the main code, and
 * in the main and test code together - read from the compiled classes as {@code jdeps -verbose:package}
 * would: every class named in a class file's constant pool, and every class in its descriptors and
 * signatures. A failure names the cycle and, for each step of it, the classes that make the step.
 *
 * <p>The JDK's own class-file reader ({@code java.lang.classfile}) does the parsing: no library, no jdeps
 * process to run and parse.
 */
class NoPackageCyclesTest {
    private static final String ROOT = "app/signin/";
    /** A class named in a descriptor or signature: {@code Lapp/signin/x/Y;} or {@code Lapp/signin/x/Y<...>;}. */
    private static final Pattern NAMED = Pattern.compile("L(" + ROOT + "[\\w/$]+)[;<]");

    @Test
    void mainCode_hasNoPackageCycle() {
        assertNoCycle(Graph.of(classesOf(App.class)));
    }

    @Test
    void mainAndTestCode_together_haveNoPackageCycle() {
        assertNoCycle(Graph.of(classesOf(App.class), classesOf(NoPackageCyclesTest.class)));
    }

    /** SnapStart priming is inverted: each handler primes itself, so {@code snapstart} names no package of ours. */
    @Test
    void snapstart_dependsOnNothingAboveIt() {
        assertThat(Graph.of(classesOf(App.class)).dependencies("app/signin/snapstart")).isEmpty();
    }

    @Test
    void aCycle_isFound_andNamedWithTheClassesThatMakeIt() {
        Graph graph = new Graph();
        graph.add("app/signin/handler/HttpHandler", "app/signin/snapstart/SnapStartPriming");
        graph.add("app/signin/snapstart/SnapStartPriming", "app/signin/handler/CallbackHandler");
        graph.add("app/signin/handler/CallbackHandler", "app/signin/login/CallbackProcessor");

        assertThat(graph.cycles()).containsExactly(
                "app.signin.handler -> app.signin.snapstart -> app.signin.handler\n"
                        + "  app.signin.handler -> app.signin.snapstart: handler.HttpHandler -> snapstart.SnapStartPriming\n"
                        + "  app.signin.snapstart -> app.signin.handler: snapstart.SnapStartPriming -> handler.CallbackHandler");
    }

    private static void assertNoCycle(Graph graph) {
        assertThat(graph.packageCount()).as("packages read").isGreaterThan(10);
        assertThat(graph.cycles()).as("package cycles").isEmpty();
    }

    /** The class files under the directory (or jar's directory) {@code anchor} was loaded from. */
    private static Path classesOf(Class<?> anchor) {
        try {
            return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Package dependencies, each edge kept with the class dependencies that make it. */
    static final class Graph {
        /** package -> package it depends on -> "from -> to" class pairs (sorted, for a stable message). */
        private final Map<String, Map<String, Set<String>>> edges = new TreeMap<>();

        static Graph of(Path... roots) {
            Graph graph = new Graph();
            for (Path root : roots) {
                try (Stream<Path> files = Files.walk(root)) {
                    files.filter(f -> f.toString().endsWith(".class")).forEach(graph::read);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return graph;
        }

        private void read(Path file) {
            ClassModel model;
            try {
                model = ClassFile.of().parse(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String self = model.thisClass().asInternalName();
            edges.computeIfAbsent(pkg(self), p -> new TreeMap<>());
            for (PoolEntry entry : model.constantPool()) {
                if (entry instanceof ClassEntry c) {
                    named(self, c.asInternalName());
                } else if (entry instanceof Utf8Entry u) {
                    Matcher m = NAMED.matcher(u.stringValue());
                    while (m.find()) {
                        add(self, m.group(1));
                    }
                }
            }
        }

        private void named(String self, String internalName) {
            if (internalName.startsWith("[")) {
                Matcher m = NAMED.matcher(internalName);
                while (m.find()) {
                    add(self, m.group(1));
                }
            } else if (internalName.startsWith(ROOT)) {
                add(self, internalName);
            }
        }

        void add(String fromClass, String toClass) {
            String from = pkg(fromClass);
            String to = pkg(toClass);
            edges.computeIfAbsent(to, p -> new TreeMap<>());
            if (!from.equals(to)) {
                edges.computeIfAbsent(from, p -> new TreeMap<>()).computeIfAbsent(to, p -> new TreeSet<>())
                        .add(relative(fromClass) + " -> " + relative(toClass));
            }
        }

        int packageCount() {
            return edges.size();
        }

        /** The packages {@code pkg} depends on, each with the class pairs that make the dependency. */
        Map<String, Set<String>> dependencies(String pkg) {
            assertThat(edges).as("packages read").containsKey(pkg);
            return edges.get(pkg);
        }

        /**
     * One message per strongly connected set of packages: a shortest cycle through its first package, step
     * by step, and the whole set when it holds more packages than that cycle.
     */
        List<String> cycles() {
            List<String> messages = new ArrayList<>();
            for (List<String> component : components()) {
                List<String> cycle = shortestCycle(component.getFirst(), Set.copyOf(component));
                StringBuilder message = new StringBuilder(String.join(" -> ", cycle.stream().map(Graph::dotted).toList()));
                if (component.size() > cycle.size() - 1) {
                    message.append(" (one of the cycles among ")
                            .append(String.join(", ", component.stream().map(Graph::dotted).toList())).append(')');
                }
                for (int i = 0; i + 1 < cycle.size(); i++) {
                    Set<String> because = edges.get(cycle.get(i)).get(cycle.get(i + 1));
                    message.append("\n  ").append(dotted(cycle.get(i))).append(" -> ").append(dotted(cycle.get(i + 1)))
                            .append(": ").append(String.join(", ", because.stream().limit(3).toList()))
                            .append(because.size() > 3 ? " (+" + (because.size() - 3) + " more)" : "");
                }
                messages.add(message.toString());
            }
            return messages;
        }

        /** Tarjan's strongly connected components with more than one package, each sorted. */
        private List<List<String>> components() {
            Map<String, Integer> index = new HashMap<>();
            Map<String, Integer> low = new HashMap<>();
            Deque<String> stack = new ArrayDeque<>();
            Set<String> onStack = new java.util.HashSet<>();
            List<List<String>> found = new ArrayList<>();
            for (String start : edges.keySet()) {
                if (!index.containsKey(start)) {
                    strongConnect(start, index, low, stack, onStack, found);
                }
            }
            return found;
        }

        private void strongConnect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                Set<String> onStack, List<List<String>> found) {
            index.put(v, index.size());
            low.put(v, index.get(v));
            stack.push(v);
            onStack.add(v);
            for (String w : edges.get(v).keySet()) {
                if (!index.containsKey(w)) {
                    strongConnect(w, index, low, stack, onStack, found);
                    low.put(v, Math.min(low.get(v), low.get(w)));
                } else if (onStack.contains(w)) {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
            }
            if (low.get(v).equals(index.get(v))) {
                List<String> component = new ArrayList<>();
                String w;
                do {
                    w = stack.pop();
                    onStack.remove(w);
                    component.add(w);
                } while (!w.equals(v));
                if (component.size() > 1) {
                    component.sort(null);
                    found.add(component);
                }
            }
        }

        /** Breadth first from {@code start} back to itself, inside the component. */
        private List<String> shortestCycle(String start, Set<String> component) {
            Map<String, String> cameFrom = new LinkedHashMap<>();
            Deque<String> queue = new ArrayDeque<>(List.of(start));
            while (!queue.isEmpty()) {
                String at = queue.poll();
                for (String next : edges.get(at).keySet()) {
                    if (next.equals(start)) {
                        List<String> path = new ArrayList<>();
                        for (String p = at; p != null; p = cameFrom.get(p)) {
                            path.addFirst(p); // back to start, which has no predecessor
                        }
                        path.add(start);
                        return path;
                    }
                    if (component.contains(next) && !cameFrom.containsKey(next)) {
                        cameFrom.put(next, at);
                        queue.add(next);
                    }
                }
            }
            throw new IllegalStateException("no cycle through " + start);
        }

        private static String pkg(String internalName) {
            return internalName.substring(0, internalName.lastIndexOf('/'));
        }

        private static String relative(String internalName) {
            return internalName.substring(ROOT.length()).replace('/', '.');
        }

        private static String dotted(String pkg) {
            return pkg.replace('/', '.');
        }
    }
}
