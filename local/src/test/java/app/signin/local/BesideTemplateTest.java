package app.signin.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import app.signin.local.ApiTemplate.Authorizer;
import app.signin.local.ApiTemplate.Route;
import example.api.WhoAmIHandler;

/**
 * {@code ./dev --with examples/protected-api/template.yaml}: the example application's routes served beside
 * the sign-in template, its authorizer - an {@code Fn::ImportValue} of this stack's SessionAuthorizerArn
 * export - resolved to this stack's AuthorizerFunction, so the same sign-in (cookie) and the same bearer
 * tokens reach it, and nothing else does.
 */
class BesideTemplateTest {
    static final Path TEMPLATE = ApiTemplate.find(Path.of(""));
    static final Path EXAMPLE = TEMPLATE.resolveSibling("examples/protected-api/template.yaml");

    static LocalRunner.Running runner;
    static final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @BeforeAll
    static void startRunner() {
        runner = LocalRunner.start(Map.of(LocalRunner.PORT, "0"), TEMPLATE, List.of(EXAMPLE),
                new PrintStream(output, true, StandardCharsets.UTF_8), Instant.now());
    }

    @AfterAll
    static void stopRunner() {
        runner.close();
    }

    @Test
    void theExamplesImportedAuthorizer_isThisStacksAuthorizerFunction_andItsRouteIsBehindIt() {
        ApiTemplate example = ApiTemplate.read(EXAMPLE);
        assertThat(example.authorizers().get("SessionAuthorizer").imported())
                .isEqualTo("${SignInStackName}-SessionAuthorizerArn");
        assertThat(ApiTemplate.read(TEMPLATE).exports()).containsEntry("-SessionAuthorizerArn", "AuthorizerFunction");

        ApiTemplate both = ApiTemplate.read(TEMPLATE).beside(example);
        assertThat(both.authorizers()).containsOnly(Map.entry("SessionAuthorizer", new Authorizer("SessionAuthorizer",
                "AuthorizerFunction", List.of("$context.routeKey"), 0)));
        assertThat(both.routes()).extracting(Route::routeKey, Route::functionId, Route::authorizer)
                .contains(tuple("GET /whoami", "WhoAmIFunction", "SessionAuthorizer"),
                        tuple("GET /api/hello", "HelloFunction", "SessionAuthorizer"));
        assertThat(runner.handlers().get("WhoAmIFunction")).isInstanceOf(WhoAmIHandler.class);
        assertThat(output.toString(StandardCharsets.UTF_8))
                .contains("GET /whoami -> WhoAmIFunction (behind SessionAuthorizer)")
                .contains("Beside it:   " + EXAMPLE);
    }

    @Test
    void theExamplesRoute_withoutACredential_isApiGateways403_theFunctionNeverRuns() throws Exception {
        HttpResponse<String> r = new LocalSite(runner.url()).get("/whoami");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEqualTo("{\"message\":\"Forbidden\"}");
    }

    @Test
    void theSameSignIn_reachesTheExamplesRoute_untilLogout() throws Exception {
        LocalSite browser = new LocalSite(runner.url());
        browser.signIn("grace@example.com");

        HttpResponse<String> whoami = browser.get("/whoami");
        assertThat(whoami.statusCode()).isEqualTo(200);
        assertThat(whoami.body()).isEqualTo("{\"sub\":\"grace@example.com\",\"email\":\"grace@example.com\","
                + "\"name\":\"Local Test User\",\"via\":\"session\"}");

        Map<String, String> copied = Map.copyOf(browser.jar);
        assertThat(browser.logout().statusCode()).isEqualTo(303);
        browser.jar.putAll(copied);
        assertThat(browser.get("/whoami").statusCode()).isEqualTo(403);
    }

    @Test
    void aCliWithABearerIdToken_reachesTheExamplesRoute_viaBearer_andABadTokenDoesNot() throws Exception {
        LocalSite cli = new LocalSite(runner.url());
        String token = cli.cliIdToken(runner.app().issuer(), StandInProvider.CLIENT_ID, StandInProvider.CLIENT_SECRET,
                "linus@example.com");

        HttpResponse<String> whoami = cli.getWithBearer("/whoami", token);
        assertThat(whoami.statusCode()).isEqualTo(200);
        assertThat(whoami.body()).contains("\"email\":\"linus@example.com\"").endsWith("\"via\":\"bearer\"}");
        assertThat(cli.getWithBearer("/whoami", token.substring(0, token.length() - 2) + "xx").statusCode())
                .isEqualTo(403);
    }

    @Test
    void anImportNoTemplateExports_orARouteDeclaredTwice_stopsTheStart() {
        assertThatThrownBy(() -> ApiTemplate.read(EXAMPLE).requireResolved())
                .hasMessageContaining("authorizer SessionAuthorizer imports ${SignInStackName}-SessionAuthorizerArn");
        assertThatThrownBy(() -> ApiTemplate.read(TEMPLATE).beside(ApiTemplate.read(TEMPLATE)))
                .hasMessageContaining("is declared in both");
        ApiTemplate exportsNothing = ApiTemplate.from(Path.of("other.yaml"), CloudFormationYaml.parse("""
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: example.Fn
                      Events:
                        Get: { Type: HttpApi, Properties: { Path: /other, Method: GET } }
                """));
        assertThatThrownBy(() -> exportsNothing.beside(ApiTemplate.read(EXAMPLE)))
                .hasMessageContaining("imports ${SignInStackName}-SessionAuthorizerArn, which other.yaml does not export");
    }
}
