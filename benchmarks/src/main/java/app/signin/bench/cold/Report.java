package app.signin.bench.cold;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

import com.nimbusds.jose.util.JSONObjectUtils;

/** The cold-start table: medians and minimums, and each scenario's ratio to the hello-world function. */
record Report(int runs, Map<String, List<ColdStart.Sample>> samples, Map<String, Integer> classes,
        Map<String, Map<String, Integer>> classSources, Map<String, Map<String, Integer>> roundTrips,
        String loadBefore, String loadAfter, List<String> flags, boolean snapStart, String javaToolOptions,
        int requests) {

    String markdown() {
        StringBuilder b = new StringBuilder();
        if (snapStart) {
            b.append(String.format(Locale.ROOT, "SnapStart emulation (AWS_LAMBDA_INITIALIZATION_TYPE=snap-start: init, then the "
                    + "beforeCheckpoint hooks, then the runtime's restore/next answered at once), %d runs, load before: %s, "
                    + "after: %s%n%n", runs, loadBefore, loadAfter));
            b.append(String.format(Locale.ROOT, "Each child serves %d requests after the restore. Medians; "
                    + "\"2-10\" and \"11-100\" are CPU per request over those requests.%n%n", requests));
            b.append("| scenario | init + priming wall | init + priming CPU | 1st request wall | 1st request CPU "
                    + "| min | 2-10 CPU / request | 11-100 CPU / request | first 100 CPU in all |\n"
                    + "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            samples.forEach((name, list) -> b.append(String.format(Locale.ROOT,
                    "| %s | %.0f ms | %.0f ms | %.1f ms | %.1f ms | %.1f ms | %s | %s | %s |%n",
                    name, median(list, ColdStart.Sample::initWallNanos) / 1e6, median(list, ColdStart.Sample::initCpuNanos) / 1e6,
                    median(list, ColdStart.Sample::wallNanos) / 1e6, median(list, ColdStart.Sample::cpuNanos) / 1e6,
                    min(list, ColdStart.Sample::cpuNanos) / 1e6, perRequest(list, 1, 10), perRequest(list, 10, 100),
                    cumulative(list, 100))));
            b.append("\nThe microVM's own restore (memory paged in from the snapshot) is not emulated; on Lambda it adds "
                    + "to the restore -> response time. CPU counts every thread of the child, the JIT's included.\n");
            b.append("\nChild JVM flags: `").append(String.join(" ", flags)).append("`, JAVA_TOOL_OPTIONS `")
                    .append(javaToolOptions).append("`.\n");
            return b.toString();
        }
        b.append(String.format(Locale.ROOT, "Cold start, fresh JVM per run, %d runs per scenario (interleaved), "
                + "load average before: %s, after: %s%n%n", runs, loadBefore, loadAfter));
        b.append("| scenario | wall median | wall min | CPU median | CPU min | x hello (wall) | x hello (CPU) "
                + "| classes loaded | peak RSS median |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        double helloWall = median(samples.get("hello"), ColdStart.Sample::wallNanos);
        double helloCpu = median(samples.get("hello"), ColdStart.Sample::cpuNanos);
        samples.forEach((name, list) -> {
            double wall = median(list, ColdStart.Sample::wallNanos);
            double cpu = median(list, ColdStart.Sample::cpuNanos);
            b.append(String.format(Locale.ROOT, "| %s | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.2f | %.2f | %s | %.0f MB |%n",
                    name, wall / 1e6, min(list, ColdStart.Sample::wallNanos) / 1e6, cpu / 1e6,
                    min(list, ColdStart.Sample::cpuNanos) / 1e6, wall / helloWall, cpu / helloCpu,
                    classes.getOrDefault(name, -1), median(list, ColdStart.Sample::peakRssKb) / 1024.0));
        });
        b.append("\nCPU is user + system time of all the child's threads (schedstat). Cross-check from "
                + "/proc/<pid>/stat ticks (10 ms resolution), median: ");
        List<String> ticks = new ArrayList<>();
        samples.forEach((name, list) -> ticks.add(String.format(Locale.ROOT, "%s %.0f ms", name,
                median(list, ColdStart.Sample::cpuTicksNanos) / 1e6)));
        b.append(String.join(", ", ticks)).append(".\n\n");
        b.append("Provider round trips during the class-count run: ").append(roundTrips).append("\n\n");
        b.append("Classes by source:\n\n");
        classSources.forEach((name, sources) -> b.append("- ").append(name).append(": ").append(sources).append('\n'));
        b.append("\nChild JVM flags: `").append(String.join(" ", flags)).append("`, JAVA_TOOL_OPTIONS `")
                .append(javaToolOptions).append("`.\n");
        return b.toString();
    }

    String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("runs", runs);
        root.put("loadBefore", loadBefore);
        root.put("loadAfter", loadAfter);
        root.put("flags", flags);
        root.put("javaToolOptions", javaToolOptions);
        root.put("requests", requests);
        Map<String, Object> scenarios = new LinkedHashMap<>();
        samples.forEach((name, list) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("wallNanos", list.stream().map(ColdStart.Sample::wallNanos).toList());
            s.put("cpuNanos", list.stream().map(ColdStart.Sample::cpuNanos).toList());
            s.put("cpuTicksNanos", list.stream().map(ColdStart.Sample::cpuTicksNanos).toList());
            s.put("peakRssKb", list.stream().map(ColdStart.Sample::peakRssKb).toList());
            s.put("initWallNanos", list.stream().map(ColdStart.Sample::initWallNanos).toList());
            s.put("initCpuNanos", list.stream().map(ColdStart.Sample::initCpuNanos).toList());
            s.put("cpuNanosAt", list.stream().map(ColdStart.Sample::cpuNanosAt).toList());
            s.put("classes", classes.get(name));
            s.put("classSources", classSources.get(name));
            s.put("roundTrips", roundTrips.get(name));
            scenarios.put(name, s);
        });
        root.put("scenarios", scenarios);
        return JSONObjectUtils.toJSONString(root);
    }

    /** Median over runs of the CPU per request for requests {@code from + 1} to {@code to}; "-" if not served. */
    static String perRequest(List<ColdStart.Sample> list, int from, int to) {
        if (list.stream().anyMatch(x -> x.cpuNanosAt().size() < to)) {
            return "-";
        }
        double m = median(list, x -> (x.cpuNanosAt().get(to - 1) - x.cpuNanosAt().get(from - 1)) / (to - from));
        return String.format(Locale.ROOT, "%.2f ms", m / 1e6);
    }

    static String cumulative(List<ColdStart.Sample> list, int to) {
        if (list.stream().anyMatch(x -> x.cpuNanosAt().size() < to)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.0f ms", median(list, x -> x.cpuNanosAt().get(to - 1)) / 1e6);
    }

    static double median(List<ColdStart.Sample> list, ToLongFunction<ColdStart.Sample> f) {
        long[] a = list.stream().mapToLong(f).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2.0;
    }

    static double min(List<ColdStart.Sample> list, ToLongFunction<ColdStart.Sample> f) {
        return list.stream().mapToLong(f).min().orElse(0);
    }
}
