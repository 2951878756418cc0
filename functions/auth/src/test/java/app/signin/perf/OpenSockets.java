package app.signin.perf;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The TCP sockets this process holds open, as Linux lists them: the {@code socket:[inode]} entries of
 * {@code /proc/self/fd}, joined with {@code /proc/self/net/tcp} and {@code tcp6} for their ports and state.
 */
record OpenSockets(Map<Long, Socket> byInode) {
    /** One socket: its local and remote port, and whether it is listening ({@code 0A} in /proc's state column). */
    record Socket(int localPort, int remotePort, boolean listening) {
    }

    static OpenSockets now() {
        Map<Long, Socket> all = new HashMap<>();
        for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
            try {
                List<String> lines = Files.readAllLines(Path.of(table));
                for (String line : lines.subList(1, lines.size())) { // after the column heads
                    String[] f = line.strip().split("\\s+");
                    all.put(Long.parseLong(f[9]), new Socket(port(f[1]), port(f[2]), f[3].equals("0A")));
                }
            } catch (IOException e) {
                // no IPv6 table: nothing to add
            }
        }
        Map<Long, Socket> ours = new HashMap<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        long inode = Long.parseLong(target.substring(8, target.length() - 1));
                        if (all.containsKey(inode)) {
                            ours.put(inode, all.get(inode));
                        }
                    }
                } catch (IOException e) {
                    // closed while listed
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/self/fd", e);
        }
        return new OpenSockets(ours);
    }

    /** The sockets open now that were not open at {@code before}. */
    List<Socket> openedSince(OpenSockets before) {
        Set<Long> old = before.byInode.keySet();
        return byInode.entrySet().stream().filter(e -> !old.contains(e.getKey())).map(Map.Entry::getValue).toList();
    }

    private static int port(String hexAddress) {
        return Integer.parseInt(hexAddress.substring(hexAddress.indexOf(':') + 1), 16);
    }
}
