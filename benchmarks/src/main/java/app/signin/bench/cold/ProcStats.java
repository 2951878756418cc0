package app.signin.bench.cold;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Linux says about a running process, read from {@code /proc} while the process is blocked (it is
 * waiting for the runtime API to acknowledge its response, so nothing moves while we read).
 *
 * @param cpuNanos user + system CPU time of every live thread, from {@code /proc/<pid>/task/* /schedstat}
 *                 (nanoseconds; {@code /proc/<pid>/stat}'s tick counts are too coarse at 10 ms)
 * @param cpuTicksNanos the same from {@code /proc/<pid>/stat} utime + stime (includes threads that have
 *                 already exited; 10 ms resolution) - a cross-check
 * @param peakRssKb {@code VmHWM}: the peak resident set size so far
 * @param threadNanos the CPU of each live thread ({@code "<tid> <name>"}), for {@link #threadsSince}
 */
public record ProcStats(long cpuNanos, long cpuTicksNanos, long peakRssKb, Map<String, Long> threadNanos) {
    /** USER_HZ; 100 on every Linux we run on. */
    private static final long TICK_NANOS = 10_000_000L;

    public static ProcStats of(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            long schedNanos = 0;
            Map<String, Long> threads = new TreeMap<>();
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
                for (Path task : tasks) {
                    try {
                        String sched = Files.readString(task.resolve("schedstat")).strip();
                        long nanos = Long.parseLong(sched.substring(0, sched.indexOf(' ')));
                        schedNanos += nanos;
                        threads.put(task.getFileName() + " " + Files.readString(task.resolve("comm")).strip(), nanos);
                    } catch (IOException e) {
                        // the thread ended while we listed the directory
                    }
                }
            }
            String stat = Files.readString(proc.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After "pid (comm) ": state is fields[0]; utime and stime are the 14th and 15th fields overall.
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            long hwm = 0;
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("VmHWM:")) {
                    hwm = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return new ProcStats(schedNanos, ticks * TICK_NANOS, hwm, threads);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc for pid " + pid, e);
        }
    }

    /**
     * Which threads spent the CPU between {@code before} and this reading, dearest first ({@code
     * -Dbench.threads=true}: where a first request after a restore goes - the handler's thread, the JIT's, GC).
     */
    public String threadsSince(ProcStats before) {
        StringBuilder out = new StringBuilder();
        threadNanos.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.threadNanos.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 50_000)
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> out.append(String.format("  %8.2f ms  %s%n", e.getValue() / 1e6, e.getKey())));
        return out.toString();
    }
}
