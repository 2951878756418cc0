package app.signin.bench.size;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The deployed artifact, built the way `sam build` lays it out for a Maven function (compiled classes at
 * the root, runtime dependencies in {@code lib/}) and zipped with default compression, as `sam deploy`
 * uploads it. All four functions share this one artifact (one CodeUri), so its size is each function's.
 *
 * <p>Usage: {@code PackageSize <repo root>}; {@code ./bench size} runs it after copying the dependencies.
 */
public final class PackageSize {
    private PackageSize() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Path classes = root.resolve("functions/auth/target/classes");
        Path lib = root.resolve("functions/auth/target/lambda-lib");
        Path out = Files.createDirectories(root.resolve("benchmarks/target/bench"));
        Path zip = out.resolve("function.zip");

        List<Path> jars;
        try (Stream<Path> s = Files.list(lib)) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        long classBytes = 0;
        int classCount = 0;
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip)); Stream<Path> all = Files.walk(classes)) {
            for (Path p : all.filter(Files::isRegularFile).sorted().toList()) {
                classBytes += Files.size(p);
                classCount++;
                put(z, classes.relativize(p).toString(), p);
            }
            for (Path jar : jars) {
                put(z, "lib/" + jar.getFileName(), jar);
            }
        }
        StringBuilder b = new StringBuilder();
        long jarBytes = 0;
        List<String[]> rows = new ArrayList<>();
        for (Path jar : jars.stream().sorted(Comparator.comparingLong(PackageSize::size).reversed()).toList()) {
            jarBytes += size(jar);
            rows.add(new String[] {jar.getFileName().toString(), kb(size(jar))});
        }
        b.append(String.format(Locale.ROOT, "Deployed artifact (one zip, shared by all four functions): %s zipped, "
                + "%s unzipped; %d jars (%s) + %d files of our own classes (%s)%n%n", mb(Files.size(zip)),
                mb(jarBytes + classBytes), jars.size(), mb(jarBytes), classCount, kb(classBytes)));
        b.append("| jar | size |\n|---|---:|\n");
        rows.forEach(r -> b.append("| ").append(r[0]).append(" | ").append(r[1]).append(" |\n"));
        System.out.println(b);
        Files.writeString(out.resolve("size.md"), b.toString());
    }

    private static void put(ZipOutputStream z, String name, Path file) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        Files.copy(file, z);
        z.closeEntry();
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String kb(long bytes) {
        return String.format(Locale.ROOT, "%.0f KB", bytes / 1024.0);
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.2f MB", bytes / (1024.0 * 1024.0));
    }
}
