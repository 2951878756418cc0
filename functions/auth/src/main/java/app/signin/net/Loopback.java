package app.signin.net;

import java.net.URI;

/**
 * Which hosts are this machine. Plain http is acceptable only there (the tests' and the local runner's
 * provider); configuration and provider discovery both ask, so the rule lives below both.
 */
public final class Loopback {
    private Loopback() {
    }

    /**
     * True only for {@code localhost} and literal loopback addresses ({@code 127.x.y.z}, {@code [::1]}). A
     * name such as {@code 127.evil.example} is not loopback.
     */
    public static boolean isLoopback(URI uri) {
        String host = uri.getHost();
        return host != null && (host.equals("localhost") || host.equals("[::1]")
                || host.matches("127\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){2}"));
    }
}
