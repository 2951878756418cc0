package app.signin.bench.cold;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads {@code -Xlog:class+load} output: how many classes came from where. */
final class ClassLoadLog {
    private ClassLoadLog() {
    }

    /**
     * Counts per source: {@code jdk (CDS)} for classes mapped from the JDK's class-data archive,
     * {@code jdk} for other JDK classes, the jar's name for the function's libraries, {@code classes} for the
     * function's own classes, {@code generated} for lambdas, proxies and the like.
     */
    static Map<String, Integer> bySource(List<String> lines) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String line : lines) {
            counts.merge(source(line), 1, Integer::sum);
        }
        return counts;
    }

    static String source(String line) {
        int at = line.indexOf(" source: ");
        if (at < 0) {
            return "generated";
        }
        String src = line.substring(at + 9).strip();
        if (src.startsWith("shared objects file")) {
            return "jdk (CDS)";
        }
        if (src.startsWith("jrt:/")) {
            return "jdk";
        }
        if (src.endsWith(".jar")) {
            String jar = src.substring(src.lastIndexOf('/') + 1).replaceAll("-[0-9][0-9A-Za-z.\\-]*\\.jar$", "");
            return src.contains("/lambda-runtime/") ? "runtime: " + jar : jar;
        }
        if (src.startsWith("file:") || src.startsWith("/")) {
            return "function classes";
        }
        // Lambdas, proxies and other hidden classes name their defining class (or the VM) as the source.
        return "generated";
    }
}
