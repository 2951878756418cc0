package app.signin.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.CRC32;

import app.signin.snapstart.SnapStartPriming;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * The HTTP client of SnapStart priming's twin of the DynamoDB client: it answers every call on the spot, in
 * DynamoDB's own wire format, and opens no socket. The twin runs the SDK's whole request path - endpoint
 * rules, signing, marshalling, the response's CRC32, unmarshalling - and ours (the item mapping) often enough
 * for the JIT to compile them before the snapshot, which a handful of real calls cannot, without a single
 * extra call to DynamoDB: the function's IAM role and the table are not involved at all.
 *
 * <p>Every read finds the same made-up item, on the priming key, carrying a session's and a pending login's
 * attributes both (each reader takes what it reads). Its tokens do not open under any key, so a sign-out
 * warmed over it revokes nothing.
 */
final class PrimingHttp implements SdkHttpClient {
    private final byte[] item;

    PrimingHttp(Instant now) {
        long t = now.getEpochSecond();
        String key = SnapStartPriming.PRIMING_KEY;
        this.item = ("{\"pk\":{\"S\":\"s#" + key + "\"},\"sub\":{\"S\":\"" + key + "\"},"
                + "\"email\":{\"S\":\"priming@priming.invalid\"},\"emailVerified\":{\"BOOL\":true},"
                + "\"name\":{\"S\":\"Priming\"},\"createdAt\":{\"N\":\"" + t + "\"},\"lastSeenAt\":{\"N\":\"" + t + "\"},"
                + "\"expiresAt\":{\"N\":\"" + (t + 600) + "\"},\"tokenKeyId\":{\"S\":\"" + key + "\"},"
                + "\"tokens\":{\"B\":\"" + "A".repeat(64) + "\"},\"nonce\":{\"S\":\"" + SnapStartPriming.PRIMING_NONCE + "\"},"
                + "\"verifier\":{\"S\":\"" + key + "\"},\"returnTo\":{\"S\":\"/\"}}").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                if (request.contentStreamProvider().isPresent()) {
                    try (InputStream body = request.contentStreamProvider().get().newStream()) {
                        body.transferTo(java.io.OutputStream.nullOutputStream()); // as a real client sends it
                    }
                }
                String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
                return answer(target.endsWith(".GetItem") ? wrap("Item") : target.endsWith(".DeleteItem") ? wrap("Attributes")
                        : "{}".getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void abort() {
            }
        };
    }

    private byte[] wrap(String field) {
        byte[] head = ("{\"" + field + "\":").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + item.length + 1];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(item, 0, body, head.length, item.length);
        body[body.length - 1] = '}';
        return body;
    }

    private static HttpExecuteResponse answer(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        SdkHttpResponse response = SdkHttpResponse.builder().statusCode(200)
                .putHeader("Content-Type", "application/x-amz-json-1.0")
                .putHeader("Content-Length", Integer.toString(body.length))
                .putHeader("x-amzn-RequestId", SnapStartPriming.PRIMING_KEY)
                .putHeader("x-amz-crc32", Long.toString(crc.getValue()))
                .build();
        return HttpExecuteResponse.builder().response(response)
                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body))).build();
    }

    @Override
    public String clientName() {
        return "SnapStartPriming";
    }

    @Override
    public void close() {
    }
}
