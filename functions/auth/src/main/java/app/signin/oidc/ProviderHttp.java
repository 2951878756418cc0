package app.signin.oidc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every HTTP call to the identity provider - discovery, JWKS, token, revocation, userinfo - goes through here, so
 * each one has the same four bounds:
 * <ul>
 * <li><b>time</b>: the whole call, connect to last byte, ends at its deadline. A socket read timeout alone
 * does not do that - a provider that sends one byte per second never trips it - so the call runs on a
 * virtual thread that is interrupted at the deadline; interrupting a virtual thread blocked in socket I/O
 * closes the socket;</li>
 * <li><b>size</b>: the body is read into a buffer that refuses to grow past the caller's limit, so a
 * hostile or broken provider cannot make us allocate megabytes;</li>
 * <li><b>no redirects</b>: a token request is answered where it was sent or not at all - following a
 * redirect would send the authorization code and client secret to wherever the redirect points;</li>
 * <li><b>no retries</b>: an authorization code is single-use, so a request is sent at most once (fixed-length
 * streaming mode also disables the JDK's silent re-send of a POST on a dropped keep-alive connection).</li>
 * </ul>
 */
final class ProviderHttp {
    /** The call did not finish by its deadline. A {@link SocketTimeoutException}, like a read timeout. */
    static final class DeadlineExceededException extends SocketTimeoutException {
        DeadlineExceededException(String message) {
            super(message);
        }
    }

    /** The body was larger than the caller allows; it was not read to the end. */
    static final class ResponseTooLargeException extends IOException {
        ResponseTooLargeException(String message) {
            super(message);
        }
    }

    /** A response: status, media type as sent, and the body (never larger than the limit asked for). */
    record Response(int status, String contentType, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** True when the provider declared JSON ({@code application/json}, any parameters). */
        boolean isJson() {
            return contentType != null
                    && contentType.strip().toLowerCase(Locale.ROOT).startsWith("application/json");
        }
    }

    private final int connectTimeoutMillis;

    ProviderHttp(Duration connectTimeout) {
        this.connectTimeoutMillis = (int) connectTimeout.toMillis();
    }

    Response get(URI uri, int maxBytes, Duration callTimeout) throws IOException {
        return call(uri, null, null, maxBytes, callTimeout);
    }

    /** A GET authorised by the user's access token (RFC 6750 section 2.1), e.g. the userinfo endpoint. */
    Response getWithBearer(URI uri, String accessToken, int maxBytes, Duration callTimeout) throws IOException {
        return call(uri, null, "Bearer " + accessToken, maxBytes, callTimeout);
    }

    Response postForm(URI uri, String form, int maxBytes, Duration callTimeout) throws IOException {
        return call(uri, form.getBytes(StandardCharsets.UTF_8), null, maxBytes, callTimeout);
    }

    private Response call(URI uri, byte[] form, String authorization, int maxBytes, Duration callTimeout)
            throws IOException {
        CompletableFuture<Response> result = new CompletableFuture<>();
        Thread worker = Thread.ofVirtual().name("provider-http").unstarted(() -> {
            try {
                result.complete(exchange(uri, form, authorization, maxBytes, (int) callTimeout.toMillis()));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        worker.start();
        try {
            return result.get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            worker.interrupt();
            throw new DeadlineExceededException("no complete answer within " + callTimeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the provider");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
    }

    private Response exchange(URI uri, byte[] form, String authorization, int maxBytes, int readTimeoutMillis)
            throws IOException {
        HttpURLConnection conn = (HttpURLConnection) uri.toURL().openConnection();
        try {
            conn.setConnectTimeout(connectTimeoutMillis);
            conn.setReadTimeout(readTimeoutMillis);
            conn.setInstanceFollowRedirects(false);
            conn.setUseCaches(false);
            conn.setRequestProperty("Accept", "application/json");
            if (authorization != null) {
                conn.setRequestProperty("Authorization", authorization);
            }
            if (form != null) {
                conn.setRequestMethod("POST");
                conn.setDoOutput(true);
                conn.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
                conn.setFixedLengthStreamingMode(form.length);
                try (OutputStream out = conn.getOutputStream()) {
                    out.write(form);
                }
            }
            int status = conn.getResponseCode();
            String contentType = conn.getContentType();
            if (conn.getContentLengthLong() > maxBytes) {
                throw new ResponseTooLargeException("declared body of " + conn.getContentLengthLong() + " bytes");
            }
            InputStream in = status >= 400 ? conn.getErrorStream() : conn.getInputStream();
            return new Response(status, contentType, in == null ? new byte[0] : readAtMost(in, maxBytes));
        } finally {
            conn.disconnect();
        }
    }

    private static byte[] readAtMost(InputStream in, int maxBytes) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, 8192));
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) != -1) {
                if (out.size() + n > maxBytes) {
                    throw new ResponseTooLargeException("body larger than " + maxBytes + " bytes");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }
}
