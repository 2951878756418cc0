package app.signin.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;


/**
 * The hand-written payload 2.0 reader and writer must agree with the Lambda runtime's own serializer (the
 * one a POJO handler would get) on every event file we ship, and on the awkward corners of JSON.
 */
class HttpApiJsonTest {
    static final ClassLoader LOADER = HttpApiJsonTest.class.getClassLoader();
    static final PojoSerializer<APIGatewayV2HTTPEvent> RUNTIME_EVENTS =
            LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, LOADER);
    static final PojoSerializer<APIGatewayV2HTTPResponse> RUNTIME_RESPONSES =
            LambdaEventSerializers.serializerFor(APIGatewayV2HTTPResponse.class, LOADER);

    @ParameterizedTest
    @ValueSource(strings = {"index", "login", "callback", "logout", "me", "health"})
    void everyShippedEvent_readsAsTheRuntimeReadsIt(String name) throws IOException {
        byte[] json = Files.readAllBytes(events().resolve(name + ".json"));

        APIGatewayV2HTTPEvent ours = HttpApiJson.readEvent(new ByteArrayInputStream(json));
        APIGatewayV2HTTPEvent runtime = RUNTIME_EVENTS.fromJson(new ByteArrayInputStream(json));

        // The whole event, the authorizer's context included (me.json carries one).
        assertThat(ours).isEqualTo(runtime);
    }

    @Test
    void meEvent_authorizerContext_readsWithItsTypes() throws IOException {
        APIGatewayV2HTTPEvent me = HttpApiJson.readEvent(Files.newInputStream(events().resolve("me.json")));

        assertThat(me.getRequestContext().getAuthorizer().getLambda()).containsExactly(
                Map.entry("authenticated", true), Map.entry("sub", "110169484474386276334"),
                Map.entry("email", "alice@example.com"), Map.entry("name", "Alice Example"), Map.entry("via", "session"));
    }

    @Test
    void authorizerEvent_readsIntoTheRequestFields_theRuntimeReadsForTheAuthorizerEventType() throws IOException {
        byte[] json = Files.readAllBytes(events().resolve("authorizer.json"));

        APIGatewayV2HTTPEvent ours = HttpApiJson.readEvent(new ByteArrayInputStream(json));
        APIGatewayV2CustomAuthorizerEvent runtime = LambdaEventSerializers
                .serializerFor(APIGatewayV2CustomAuthorizerEvent.class, LOADER).fromJson(new ByteArrayInputStream(json));

        assertThat(ours.getVersion()).isEqualTo(runtime.getVersion());
        assertThat(ours.getRouteKey()).isEqualTo(runtime.getRouteKey()).isEqualTo("GET /api/hello");
        assertThat(ours.getRawPath()).isEqualTo(runtime.getRawPath());
        assertThat(ours.getRawQueryString()).isEqualTo(runtime.getRawQueryString());
        assertThat(ours.getCookies()).isEqualTo(runtime.getCookies()).singleElement().asString().startsWith("__Host-session=");
        assertThat(ours.getHeaders()).isEqualTo(runtime.getHeaders());
        var ctx = ours.getRequestContext();
        var rtx = runtime.getRequestContext();
        assertThat(ctx.getDomainName()).isEqualTo(rtx.getDomainName());
        assertThat(ctx.getRequestId()).isEqualTo(rtx.getRequestId()).isEqualTo("Rk3NbhWwjoEEJ2w=");
        assertThat(ctx.getRouteKey()).isEqualTo(rtx.getRouteKey());
        assertThat(ctx.getStage()).isEqualTo(rtx.getStage());
        assertThat(ctx.getHttp().getMethod()).isEqualTo(rtx.getHttp().getMethod());
        assertThat(ctx.getHttp().getPath()).isEqualTo(rtx.getHttp().getPath());
        assertThat(ctx.getHttp().getSourceIp()).isEqualTo(rtx.getHttp().getSourceIp());
        assertThat(ctx.getHttp().getUserAgent()).isEqualTo(rtx.getHttp().getUserAgent());
    }

    @Test
    void authorizerResponse_isTheSimpleResponseShape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        HttpApiJson.writeAuthorizerResponse(true, new LinkedHashMap<>(Map.of("authenticated", true)), out);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"isAuthorized\":true,\"context\":{\"authenticated\":true}}");
    }

    @Test
    void escapes_unicode_andSurrogatePairs_decodeLikeTheRuntime() throws IOException {
        String json = "{\"rawPath\":\"/a\\\"b\\\\c\\/d\\n\\t\\u00e9\\ud83d\\ude00 \u00fc\",\"cookies\":[\"x=1\",\"y=\\u0032\"],"
                + "\"headers\":{\"h\":\"v\"},\"isBase64Encoded\":true,\"requestContext\":{\"timeEpoch\":1764148443412,"
                + "\"http\":{\"method\":\"POST\"}},\"extra\":[1.5e3,-2,null,false,{\"deep\":[[]]}]}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

        APIGatewayV2HTTPEvent ours = HttpApiJson.readEvent(new ByteArrayInputStream(bytes));
        APIGatewayV2HTTPEvent runtime = RUNTIME_EVENTS.fromJson(new ByteArrayInputStream(bytes));

        assertThat(ours.getRawPath()).isEqualTo("/a\"b\\c/d\n\t\u00e9\ud83d\ude00 \u00fc").isEqualTo(runtime.getRawPath());
        assertThat(ours.getCookies()).containsExactly("x=1", "y=2");
        assertThat(ours.getIsBase64Encoded()).isTrue();
        assertThat(ours.getRequestContext().getTimeEpoch()).isEqualTo(1764148443412L);
        assertThat(ours.getRequestContext().getHttp().getMethod()).isEqualTo("POST");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "{", "{\"a\":}", "{\"a\":1,}", "{\"a\":\"\\x\"}", "{\"a\":tru}", "{} {}",
            "{\"a\":\"unterminated}", "{\"a\":\"\\u12\"}", "{\"a\":-}"})
    void malformedJson_isRefused_notGuessed(String json) {
        assertThatThrownBy(() -> HttpApiJson.readEvent(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IOException.class);
    }

    @Test
    void absurdNesting_isRefused_withoutExhaustingTheStack() {
        String json = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertThatThrownBy(() -> HttpApiJson.readEvent(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IOException.class).hasMessageContaining("nested too deeply");
    }

    @Test
    void response_readsBackThroughTheRuntime_exactlyAsWritten() throws IOException {
        APIGatewayV2HTTPResponse response = new APIGatewayV2HTTPResponse();
        response.setStatusCode(303);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("location", "https://abc123.example/dashboard?tab=1&x=\"y\"");
        headers.put("content-security-policy", "default-src 'none'");
        response.setHeaders(headers);
        response.setCookies(List.of("__Host-session=v1.a.b.c; Path=/; HttpOnly", "x=\u0001\u2028"));
        response.setBody("<p>\u00e9t\u00e9 \ud83d\ude00\n\t\"quoted\" \\ </p>");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        HttpApiJson.writeResponse(response, out);

        APIGatewayV2HTTPResponse back = RUNTIME_RESPONSES.fromJson(new ByteArrayInputStream(out.toByteArray()));
        assertThat(back).isEqualTo(response);
    }

    /**
     * A page's body is written piece by piece - each fragment's JSON form computed once, the values between
     * them escaped per response: byte for byte what escaping the whole body gives - and a body replaced after
     * the page was built is written as it is, not as its pieces.
     */
    @Test
    void aPiecedBody_isWrittenByteForByte_asTheWholeBodyWouldBe() throws IOException {
        HttpApiJson.Fragment top = new HttpApiJson.Fragment("<!doctype html><style>a > b { content: \"\u00b7\" }\u2028</style>\ud83d\ude00<title>");
        HttpApiJson.Fragment middle = new HttpApiJson.Fragment("</title><p class=\"x\">\u00e9");
        Object[][] bodies = {
            {top, "\u00e9t\u00e9 \ud83d\ude00 & \"x\"\u0001</title>"},
            {top, "", middle, "\ud83d", middle, "\ude00<b>", top},
            {top},
        };
        for (Object[] pieces : bodies) {
            APIGatewayV2HTTPResponse page = HttpResponse.html(200, pieces).cookie("a=b")
                    .build(new PublicOrigin("https", "abc123.example"));
            APIGatewayV2HTTPResponse plain = HttpResponse.html(200, page.getBody()).cookie("a=b")
                    .build(new PublicOrigin("https", "abc123.example"));
            plain.getHeaders().put("content-security-policy", page.getHeaders().get("content-security-policy"));
            assertThat(page).isInstanceOf(HttpApiJson.PiecedResponse.class);

            assertThat(written(page)).isEqualTo(written(plain));
            assertThat(RUNTIME_RESPONSES.fromJson(new ByteArrayInputStream(written(page).getBytes(StandardCharsets.UTF_8))))
                    .isEqualTo(plain);

            page.setBody("<p>replaced</p>");
            plain.setBody("<p>replaced</p>");
            assertThat(written(page)).isEqualTo(written(plain));
        }
    }

    @Test
    void aFragment_isNeverEmpty_andNeverSplitsASurrogatePair() {
        for (String text : new String[] {"", "<title>\ud83d", "\ude00<title>"}) {
            assertThatThrownBy(() -> new HttpApiJson.Fragment(text)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static String written(APIGatewayV2HTTPResponse response) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HttpApiJson.writeResponse(response, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    static Path events() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("events"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("events/ above the working directory").isNotNull();
        return dir.resolve("events");
    }
}
