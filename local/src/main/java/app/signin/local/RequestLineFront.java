package app.signin.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import app.signin.config.Branding;
import app.signin.error.Failure;
import app.signin.local.HttpApiEvents.Outgoing;
import app.signin.web.Pages;

/**
 * The runner's listening socket, in front of the JDK's HTTP server. That server answers a request whose
 * target is not a valid URI ({@code /%zz}) itself - "400 Bad Request / URISyntaxException thrown" - before
 * any handler runs, and has no hook to change it. So this front reads each connection's request line,
 * answers a malformed one with the application's own error page ({@link Pages#error}), and passes every other
 * request to the server on a private loopback port, one request per connection ({@code Connection: close})
 * so that every request line passes through here. Development only; a few hundred lines of proxy would buy
 * keep-alive, which loopback does not need.
 */
final class RequestLineFront implements AutoCloseable {
    /** The request line and headers; the JDK server's own limit on a request head is of the same order. */
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    private final ServerSocket socket;
    private final InetSocketAddress backend;
    private final PrintStream log;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    /** The application's pages once the runner has built it ({@link #pages(Pages)}); unbranded until then. */
    private volatile Pages pages = new Pages(Branding.DEFAULT);

    /** Binds {@code address} at once, so that a port in use fails the start; serves from {@link #start}. */
    RequestLineFront(InetSocketAddress address, InetSocketAddress backend, PrintStream log) throws IOException {
        this.socket = new ServerSocket();
        try {
            socket.bind(address, 64);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        this.backend = backend;
        this.log = log;
    }

    int port() {
        return socket.getLocalPort();
    }

    void pages(Pages pages) {
        this.pages = pages;
    }

    void start() {
        executor.execute(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    executor.execute(() -> serve(client));
                } catch (IOException e) {
                    return; // closed
                }
            }
        });
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            byte[] head = readHead(in);
            if (head.length == 0) {
                return;
            }
            String text = new String(head, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n");
            String[] requestLine = (end < 0 ? text : text.substring(0, end)).split(" ", -1);
            if (requestLine.length == 3 && !isUri(requestLine[1])) {
                badRequest(client.getOutputStream(), requestLine[0]);
                return;
            }
            try (Socket server = new Socket(backend.getAddress(), backend.getPort())) {
                OutputStream up = server.getOutputStream();
                up.write(oneRequestOnly(text).getBytes(StandardCharsets.ISO_8859_1));
                up.flush();
                // The body, if any, streams up while the answer streams down; closing the client ends both.
                executor.execute(() -> {
                    try {
                        in.transferTo(up);
                    } catch (IOException e) {
                        // the exchange is over
                    }
                });
                // The answer says Connection: close too, or the browser would send its next request on
                // this connection, which ends here. Interim answers (100 Continue) pass as they are.
                InputStream down = server.getInputStream();
                OutputStream out = client.getOutputStream();
                String answer;
                do {
                    answer = new String(readHead(down), StandardCharsets.ISO_8859_1);
                    boolean interim = answer.startsWith("HTTP/1.1 1") && !answer.startsWith("HTTP/1.1 101");
                    out.write((interim ? answer : oneRequestOnly(answer)).getBytes(StandardCharsets.ISO_8859_1));
                    if (!interim) {
                        break;
                    }
                } while (!answer.isEmpty());
                down.transferTo(out);
            }
        } catch (IOException e) {
            // the browser went away
        }
    }

    /** Bytes up to and including the blank line that ends the head (or all there is, up to the limit). */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(1024);
        int matched = 0;
        while (head.size() < MAX_HEAD_BYTES) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : b == '\r' ? 1 : 0;
            if (matched == 4) {
                break;
            }
        }
        return head.toByteArray();
    }

    /** The JDK server's own test: what it would refuse with "URISyntaxException thrown". */
    private static boolean isUri(String target) {
        try {
            new URI(target);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** A request's or a response's head with its Connection headers replaced by {@code Connection: close}. */
    private static String oneRequestOnly(String head) {
        if (!head.endsWith("\r\n\r\n")) {
            return head; // incomplete or oversized: the server answers it as it sees fit
        }
        StringBuilder out = new StringBuilder(head.length() + 20);
        for (String line : head.substring(0, head.length() - 2).split("\r\n")) {
            String name = line.contains(":") ? line.substring(0, line.indexOf(':')).strip().toLowerCase(Locale.ROOT) : "";
            if (!name.equals("connection") && !name.equals("keep-alive")) {
                out.append(line).append("\r\n");
            }
        }
        return out.append("Connection: close\r\n\r\n").toString();
    }

    private void badRequest(OutputStream out, String method) throws IOException {
        String requestId = UUID.randomUUID().toString();
        Outgoing page = HttpApiEvents.fromResponse(pages.error(Failure.BAD_REQUEST, null, requestId).build(null));
        StringBuilder head = new StringBuilder("HTTP/1.1 400 Bad Request\r\n");
        for (Map.Entry<String, String> h : page.headers()) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        boolean withBody = !method.equals("HEAD");
        head.append("apigw-requestid: ").append(requestId).append("\r\n")
                .append("Content-Length: ").append(withBody ? page.body().length : 0).append("\r\n")
                .append("Connection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (withBody) {
            out.write(page.body());
        }
        out.flush();
        // Never the target itself: it may carry a code or a state.
        log.println(method + " (malformed URL) -> 400 (runner)");
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing at shutdown: nothing left to do about it
        }
        executor.shutdownNow();
    }
}
