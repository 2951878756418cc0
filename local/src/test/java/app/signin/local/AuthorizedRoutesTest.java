package app.signin.local;

import static app.signin.protect.Authorizer.OWN_API;
import static app.signin.protect.Authorizer.OWN_API_STAGE_VARIABLE;
import static app.signin.protect.Authorizer.SELF_ANSWERING_ROUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.local.ApiTemplate.Authorizer;
import app.signin.local.ApiTemplate.LambdaFunction;
import app.signin.local.ApiTemplate.Route;

/**
 * Routes behind the session authorizer, served by the local runner from template.yaml the way API Gateway
 * serves them: the runner calls the authorizer function with the payload 2.0 authorizer event, answers
 * API Gateway's 401/403 itself, and hands an allowed request's context to the route's function.
 */
class AuthorizedRoutesTest {
    static final Path TEMPLATE = ApiTemplate.find(Path.of(""));
    static final String SESSION_COOKIE = "session"; // plain http locally: no __Host- prefix

    static LocalRunner.Running runner;
    static final ByteArrayOutputStream output = new ByteArrayOutputStream();

    LocalSite site;
    Map<String, String> jar;

    @BeforeAll
    static void startRunner() {
        runner = LocalRunner.start(Map.of(LocalRunner.PORT, "0"), TEMPLATE,
                new PrintStream(output, true, StandardCharsets.UTF_8), Instant.now());
    }

    @AfterAll
    static void stopRunner() {
        runner.close();
    }

    @BeforeEach
    void browser() {
        site = new LocalSite(runner.url());
        jar = site.jar;
    }

    @Test
    void template_declaresTheSessionAuthorizer_asTheRunnerReadsIt() {
        ApiTemplate template = ApiTemplate.read(TEMPLATE);

        assertThat(template.authorizers()).containsOnlyKeys("SessionAuthorizer");
        assertThat(template.authorizers().get("SessionAuthorizer")).isEqualTo(new Authorizer("SessionAuthorizer",
                "AuthorizerFunction", List.of("$context.routeKey"), 0));
        assertThat(template.routes()).filteredOn(r -> r.authorizer() != null)
                .extracting(Route::routeKey, Route::authorizer)
                .containsExactlyInAnyOrder(tuple("GET /api/me", "SessionAuthorizer"),
                        tuple("GET /api/hello", "SessionAuthorizer"),
                        tuple("GET /api/google/userinfo", "SessionAuthorizer"));
        // The route the authorizer lets through unauthenticated must be a route it actually guards.
        assertThat(template.routes()).filteredOn(r -> "SessionAuthorizer".equals(r.authorizer()))
                .extracting(Route::routeKey).containsAll(SELF_ANSWERING_ROUTES);
        // ... on this stack's own API, which marks itself so (another stack's GET /api/me is denied).
        assertThat(template.routes()).filteredOn(r -> SELF_ANSWERING_ROUTES.contains(r.routeKey()))
                .allSatisfy(r -> assertThat(r.stageVariables()).containsEntry(OWN_API_STAGE_VARIABLE, OWN_API));
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("GET /api/me -> MeFunction (behind SessionAuthorizer)");
    }

    @Test
    void apiMe_withoutAnyCookie_reachesTheAuthorizer_andIs401JsonFromTheFunction() throws Exception {
        HttpResponse<String> r = get("/api/me");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).startsWith("{\"error\":\"not_authenticated\",");
        assertThat(r.headers().firstValue("www-authenticate")).contains("Bearer");
    }

    @Test
    void signedIn_apiMeHelloAndGoogleUserinfo_answerForTheUser_andAfterLogoutNoneDoes() throws Exception {
        signIn("alice@example.com");

        HttpResponse<String> me = get("/api/me");
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.headers().firstValue("content-type")).contains("application/json");
        assertThat(me.body()).matches("\\{\"authenticated\":true,\"sub\":\"[^\"]+\",\"email\":\"alice@example.com\","
                + "\"name\":\"Local Test User\",\"via\":\"session\"\\}");
        HttpResponse<String> hello = get("/api/hello");
        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("{\"message\":\"Hello, Local Test User!\"}");
        HttpResponse<String> userinfo = get("/api/google/userinfo"); // the stand-in's userinfo, with the user's token
        assertThat(userinfo.statusCode()).as(userinfo.body()).isEqualTo(200);
        assertThat(userinfo.body()).contains("\"email\":\"alice@example.com\"").doesNotContain("access_token");

        String copied = jar.get(SESSION_COOKIE);
        HttpResponse<String> logout = site.logout();
        assertThat(logout.statusCode()).isEqualTo(303);
        jar.put(SESSION_COOKIE, copied);

        HttpResponse<String> after = get("/api/me");
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(after.body()).contains("\"error\":\"not_authenticated\"");
        assertThat(get("/api/hello").statusCode()).isEqualTo(403);
        assertThat(get("/api/google/userinfo").statusCode()).isEqualTo(403);
    }

    @Test
    void aCookieWithoutASession_gets401JsonOnApiMe_and403OnOtherRoutes_neverARedirect() throws Exception {
        jar.put(SESSION_COOKIE, "v1.forged.value.mac");

        HttpResponse<String> me = get("/api/me");
        assertThat(me.statusCode()).isEqualTo(401);
        assertThat(me.headers().firstValue("location")).isEmpty();
        assertThat(me.body()).startsWith("{\"error\":\"not_authenticated\",");

        HttpResponse<String> hello = get("/api/hello");
        assertThat(hello.statusCode()).isEqualTo(403);
        assertThat(hello.body()).isEqualTo("{\"message\":\"Forbidden\"}");
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("GET /api/hello -> 403 (authorizer AuthorizerFunction");
    }

    @Test
    void anAuthorizerThatFailsOrAnswersWrongly_is500_andTheFunctionIsNotCalled() throws Exception {
        AtomicInteger functionCalls = new AtomicInteger();
        RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function = (e, c) -> {
            functionCalls.incrementAndGet();
            APIGatewayV2HTTPResponse r = new APIGatewayV2HTTPResponse();
            r.setStatusCode(200);
            return r;
        };
        RequestHandler<APIGatewayV2HTTPEvent, Object> throwing = (e, c) -> {
            throw new IllegalStateException("boom");
        };
        RequestHandler<APIGatewayV2HTTPEvent, Object> notSimple = (e, c) -> Map.of("principalId", "x");
        RequestHandler<APIGatewayV2HTTPEvent, Object> nullContext = (e, c) -> {
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("email", null);
            return Map.of("isAuthorized", true, "context", context);
        };
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (LocalApiGateway gateway = new LocalApiGateway(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new PrintStream(log, true, StandardCharsets.UTF_8), Clock.systemUTC())) {
            LambdaFunction fn = new LambdaFunction("Fn", "test.Fn", 3, 128);
            gateway.start(
                    List.of(new Route("GET", "/a", "Fn", "Throwing"), new Route("GET", "/b", "Fn", "NotSimple"),
                            new Route("GET", "/c", "Fn", "NullContext")),
                    Map.of("Fn", new LocalApiGateway.Function(fn, function),
                            "ThrowingFn", new LocalApiGateway.Function(new LambdaFunction("ThrowingFn", "t", 3, 128), throwing),
                            "NotSimpleFn", new LocalApiGateway.Function(new LambdaFunction("NotSimpleFn", "t", 3, 128), notSimple),
                            "NullContextFn", new LocalApiGateway.Function(new LambdaFunction("NullContextFn", "t", 3, 128),
                                    nullContext)),
                    Map.of("Throwing", authorizer("Throwing", "ThrowingFn"), "NotSimple", authorizer("NotSimple", "NotSimpleFn"),
                            "NullContext", authorizer("NullContext", "NullContextFn")));
            URI base = URI.create("http://localhost:" + gateway.port());
            jar.put("any", "1");

            for (String path : List.of("/a", "/b", "/c")) {
                HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve(path)).GET());
                assertThat(r.statusCode()).as(path).isEqualTo(500);
                assertThat(r.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
            }
        }
        assertThat(functionCalls).hasValue(0);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("ThrowingFn (authorizer Throwing) threw")
                .doesNotContain("boom");
    }

    @Test
    void template_refusesAuthorizersItCannotHonour_ratherThanServeTheRouteOpen() {
        String api = """
                Resources:
                  Api:
                    Type: AWS::Serverless::HttpApi
                    Properties:
                      Auth:
                        %s
                  AuthFn:
                    Type: AWS::Serverless::Function
                    Properties: { Handler: example.Auth }
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: example.Fn
                      Events:
                        Open: { Type: HttpApi, Properties: { ApiId: !Ref Api, Path: /open, Method: GET, Auth: { Authorizer: NONE } } }
                        Closed: { Type: HttpApi, Properties: { ApiId: !Ref Api, Path: /closed, Method: GET%s } }
                """;
        String lambda = "Authorizers: { Session: { FunctionArn: !GetAtt AuthFn.Arn, AuthorizerPayloadFormatVersion: '2.0', "
                + "EnableSimpleResponses: true, Identity: { Headers: [Cookie] } } }";

        ApiTemplate withDefault = ApiTemplate.from(Path.of("t.yaml"), CloudFormationYaml.parse(
                api.formatted(lambda + "\n        DefaultAuthorizer: Session", "")));
        assertThat(withDefault.routes()).extracting(Route::routeKey, Route::authorizer)
                .containsExactlyInAnyOrder(tuple("GET /open", null), tuple("GET /closed", "Session"));
        assertThat(withDefault.authorizers().get("Session").ttlSeconds()).isEqualTo(300); // API Gateway's default

        assertThatThrownBy(() -> ApiTemplate.from(Path.of("t.yaml"), CloudFormationYaml.parse(
                api.formatted(lambda, ", Auth: { Authorizer: Sesion }"))))
                .hasMessageContaining("names authorizer Sesion");
        assertThatThrownBy(() -> ApiTemplate.from(Path.of("t.yaml"), CloudFormationYaml.parse(api.formatted(
                "Authorizers: { Jwt: { JwtConfiguration: { issuer: x }, IdentitySource: $request.header.Authorization } }",
                ", Auth: { Authorizer: Jwt }")))).hasMessageContaining("only Lambda authorizers");
        assertThatThrownBy(() -> ApiTemplate.from(Path.of("t.yaml"), CloudFormationYaml.parse(api.formatted(
                lambda.replace("EnableSimpleResponses: true", "EnableSimpleResponses: false"), ""))))
                .hasMessageContaining("EnableSimpleResponses");
    }

    static Authorizer authorizer(String name, String functionId) {
        return new Authorizer(name, functionId, List.of("$request.header.Cookie"), 0);
    }

    void signIn(String email) throws Exception {
        site.signIn(email);
        assertThat(jar).containsKey(SESSION_COOKIE);
    }

    HttpResponse<String> get(String pathAndQuery) throws Exception {
        return site.get(pathAndQuery);
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return site.send(request);
    }
}
