package app.signin.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.local.ApiTemplate.LambdaFunction;
import app.signin.local.ApiTemplate.Route;

/**
 * The gateway turns real HTTP requests into payload 2.0 events, and function responses back into HTTP, the
 * way API Gateway's HTTP API does. A recording function stands behind the routes.
 */
class HttpApiEventTest {
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final Recorder echo = new Recorder();
    final Recorder boom = new Recorder();
    LocalApiGateway gateway;
    URI base;

    /** Records every event and answers with whatever the test sets. */
    static final class Recorder implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
        final List<APIGatewayV2HTTPEvent> events = new CopyOnWriteArrayList<>();
        final List<Context> contexts = new CopyOnWriteArrayList<>();
        volatile Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> answer = e -> response(200, "ok");

        @Override
        public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
            events.add(event);
            contexts.add(context);
            return answer.apply(event);
        }

        APIGatewayV2HTTPEvent last() {
            assertThat(events).as("events received").isNotEmpty();
            return events.getLast();
        }
    }

    @BeforeEach
    void startGateway() throws Exception {
        gateway = new LocalApiGateway(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new PrintStream(logBytes, true, StandardCharsets.UTF_8), Clock.systemUTC());
        LambdaFunction echoFunction = new LambdaFunction("EchoFunction", "test.Echo::handleRequest", 6, 512);
        LambdaFunction boomFunction = new LambdaFunction("BoomFunction", "test.Boom::handleRequest", 3, 128);
        gateway.start(
                List.of(new Route("GET", "/echo", "EchoFunction"), new Route("POST", "/echo", "EchoFunction"),
                        new Route("GET", "/boom", "BoomFunction")),
                Map.of("EchoFunction", new LocalApiGateway.Function(echoFunction, echo),
                        "BoomFunction", new LocalApiGateway.Function(boomFunction, boom)));
        base = URI.create("http://localhost:" + gateway.port());
    }

    @AfterEach
    void stopGateway() {
        gateway.close();
    }

    @Test
    void event_hasCookiesArrayAndLowerCasedHeaders() throws Exception {
        send(get("/echo").header("X-Custom-Header", "Value").header("Cookie", "session=abc.def; login-1=x;theme=dark"));

        APIGatewayV2HTTPEvent event = echo.last();
        assertThat(event.getCookies()).containsExactly("session=abc.def", "login-1=x", "theme=dark");
        assertThat(event.getHeaders()).containsEntry("x-custom-header", "Value").doesNotContainKey("cookie");
        assertThat(event.getHeaders().keySet()).allSatisfy(name -> assertThat(name).isLowerCase());
    }

    @Test
    void event_joinsRepeatedHeadersWithCommas() throws Exception {
        send(get("/echo").header("X-Repeated", "one").header("X-Repeated", "two"));

        assertThat(echo.last().getHeaders()).containsEntry("x-repeated", "one,two");
    }

    @Test
    void event_keepsTheRawQueryString_andCommaJoinsRepeatedParameters() throws Exception {
        String query = "b=2&a=1&b=3&return_to=%2Fdeep%2Flink%3Fx%3D1&flag";
        send(get("/echo?" + query));

        APIGatewayV2HTTPEvent event = echo.last();
        assertThat(event.getRawPath()).isEqualTo("/echo");
        assertThat(event.getRawQueryString()).isEqualTo(query);
        assertThat(event.getQueryStringParameters()).containsExactlyInAnyOrderEntriesOf(
                Map.of("a", "1", "b", "2,3", "return_to", "/deep/link?x=1", "flag", ""));
    }

    @Test
    void event_withoutQueryCookiesOrBody_hasNoneOfThem() throws Exception {
        send(get("/echo"));

        APIGatewayV2HTTPEvent event = echo.last();
        assertThat(event.getRawQueryString()).isEmpty();
        assertThat(event.getQueryStringParameters()).isNull();
        assertThat(event.getCookies()).isNull();
        assertThat(event.getBody()).isNull();
        assertThat(event.getIsBase64Encoded()).isFalse();
    }

    @Test
    void event_requestContext_describesTheRequestLikeApiGateway() throws Exception {
        Instant before = Instant.now();
        HttpResponse<String> response = send(get("/echo").header("User-Agent", "behaviour-test/1.0"));
        Instant after = Instant.now();

        APIGatewayV2HTTPEvent event = echo.last();
        var context = event.getRequestContext();
        assertThat(event.getVersion()).isEqualTo("2.0");
        assertThat(event.getRouteKey()).isEqualTo("GET /echo");
        assertThat(context.getRouteKey()).isEqualTo("GET /echo");
        assertThat(context.getHttp().getMethod()).isEqualTo("GET");
        assertThat(context.getHttp().getPath()).isEqualTo("/echo");
        assertThat(context.getHttp().getProtocol()).isEqualTo("HTTP/1.1");
        assertThat(context.getHttp().getSourceIp()).isEqualTo("127.0.0.1");
        assertThat(context.getHttp().getUserAgent()).isEqualTo("behaviour-test/1.0");
        assertThat(context.getDomainName()).isEqualTo("localhost");
        assertThat(context.getDomainPrefix()).isEqualTo("localhost");
        assertThat(context.getStage()).isEqualTo("$default");
        assertThat(context.getRequestId()).isNotBlank();
        assertThat(response.headers().firstValue("apigw-requestid")).contains(context.getRequestId());
        assertThat(Instant.ofEpochMilli(context.getTimeEpoch())).isBetween(before.minusMillis(1), after);
        ZonedDateTime time = ZonedDateTime.parse(context.getTime(),
                DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH));
        assertThat(time.getOffset()).isEqualTo(ZoneOffset.UTC);
        assertThat(time.toEpochSecond()).isEqualTo(context.getTimeEpoch() / 1000);
    }

    @Test
    void event_formPostBodyIsBase64Encoded_jsonBodyIsText() throws Exception {
        send(post("/echo", "application/x-www-form-urlencoded", "csrf=a%2Bb&x=two+words"));
        APIGatewayV2HTTPEvent form = echo.last();
        assertThat(form.getIsBase64Encoded()).isTrue();
        assertThat(new String(Base64.getDecoder().decode(form.getBody()), StandardCharsets.UTF_8))
                .isEqualTo("csrf=a%2Bb&x=two+words");
        assertThat(form.getRequestContext().getHttp().getMethod()).isEqualTo("POST");
        assertThat(form.getRouteKey()).isEqualTo("POST /echo");

        send(post("/echo", "application/json; charset=utf-8", "{\"a\":1}"));
        APIGatewayV2HTTPEvent json = echo.last();
        assertThat(json.getIsBase64Encoded()).isFalse();
        assertThat(json.getBody()).isEqualTo("{\"a\":1}");
    }

    @Test
    void context_namesTheFunction_withItsMemoryAndTimeLeft() throws Exception {
        send(get("/echo"));

        Context context = echo.contexts.getLast();
        assertThat(context.getFunctionName()).isEqualTo("EchoFunction");
        assertThat(context.getMemoryLimitInMB()).isEqualTo(512);
        assertThat(context.getRemainingTimeInMillis()).isBetween(1, 6_000);
        assertThat(context.getAwsRequestId()).isEqualTo(echo.last().getRequestContext().getRequestId());
    }

    @Test
    void response_eachCookieBecomesItsOwnSetCookieHeader_andHeadersPassThrough() throws Exception {
        echo.answer = e -> {
            APIGatewayV2HTTPResponse r = response(201, "made");
            r.setHeaders(Map.of("X-Reply", "yes", "content-type", "text/plain"));
            r.setCookies(List.of("a=1; Path=/; HttpOnly", "b=2; Max-Age=0"));
            return r;
        };

        HttpResponse<String> response = send(get("/echo"));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("made");
        assertThat(response.headers().firstValue("x-reply")).contains("yes");
        assertThat(response.headers().allValues("set-cookie")).containsExactly("a=1; Path=/; HttpOnly", "b=2; Max-Age=0");
    }

    @Test
    void response_base64BodyIsDecoded() throws Exception {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        echo.answer = e -> {
            APIGatewayV2HTTPResponse r = response(200, Base64.getEncoder().encodeToString(binary));
            r.setIsBase64Encoded(true);
            r.setHeaders(Map.of("content-type", "application/octet-stream"));
            return r;
        };

        HttpResponse<byte[]> response = http.send(get("/echo").build(), BodyHandlers.ofByteArray());

        assertThat(response.body()).isEqualTo(binary);
    }

    @Test
    void handlerException_becomes502_andIsLoggedWithoutItsMessage() throws Exception {
        boom.answer = e -> {
            throw new IllegalStateException("detail-that-may-quote-the-request");
        };

        HttpResponse<String> response = send(get("/boom"));

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
        assertThat(log()).contains("BoomFunction threw java.lang.IllegalStateException")
                .doesNotContain("detail-that-may-quote-the-request");
    }

    @Test
    void responseWithoutAStatusCode_becomes502() throws Exception {
        echo.answer = e -> new APIGatewayV2HTTPResponse();

        assertThat(send(get("/echo")).statusCode()).isEqualTo(502);
    }

    @Test
    void unknownPathOrMethod_is404NotFound_withoutReachingAFunction() throws Exception {
        HttpResponse<String> path = send(get("/nowhere"));
        HttpResponse<String> method = send(HttpRequest.newBuilder(base.resolve("/echo")).DELETE());

        for (HttpResponse<String> response : List.of(path, method)) {
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body()).isEqualTo("{\"message\":\"Not Found\"}");
            assertThat(response.headers().firstValue("content-type")).contains("application/json");
        }
        assertThat(echo.events).isEmpty();
    }

    @Test
    void accessLog_showsPathsButNeverQueryStrings() throws Exception {
        send(get("/echo?code=secret-code-value&state=xyz"));

        assertThat(log()).contains("GET /echo -> 200 (EchoFunction").doesNotContain("secret-code-value");
    }

    // --- helpers ------------------------------------------------------------------------------------------

    HttpRequest.Builder get(String pathAndQuery) {
        return HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET();
    }

    HttpRequest.Builder post(String path, String contentType, String body) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", contentType)
                .POST(BodyPublishers.ofString(body));
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), BodyHandlers.ofString());
    }

    String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    static APIGatewayV2HTTPResponse response(int status, String body) {
        APIGatewayV2HTTPResponse r = new APIGatewayV2HTTPResponse();
        r.setStatusCode(status);
        r.setBody(body);
        return r;
    }
}
