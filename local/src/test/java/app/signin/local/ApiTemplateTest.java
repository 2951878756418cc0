package app.signin.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import app.signin.local.ApiTemplate.LambdaFunction;
import app.signin.local.ApiTemplate.Route;

/** The runner's routes come from template.yaml and nowhere else. */
class ApiTemplateTest {
    static final Path TEMPLATE = ApiTemplate.find(Path.of(""));

    @Test
    void routes_areReadFromTemplateYaml() {
        ApiTemplate template = ApiTemplate.read(TEMPLATE);

        assertThat(template.routes()).extracting(Route::routeKey, Route::functionId).containsExactlyInAnyOrder(
                tuple("GET /", "IndexFunction"),
                tuple("GET /login", "LoginFunction"),
                tuple("GET /callback", "CallbackFunction"),
                tuple("GET /logout", "LogoutFunction"),
                tuple("POST /logout", "LogoutFunction"),
                tuple("GET /health", "HealthFunction"),
                tuple("GET /api/me", "MeFunction"),
                tuple("OPTIONS /api/me", "MeFunction"),
                tuple("GET /api/hello", "HelloFunction"),
                tuple("GET /api/google/userinfo", "GoogleUserinfoFunction"),
                tuple("$default", "NotFoundFunction"),
                tuple("GET /sessions", "SessionsFunction"),
                tuple("GET /api/sessions", "SessionsFunction"),
                tuple("POST /sessions/end", "EndSessionFunction"));
        assertThat(template.functions()).extracting(LambdaFunction::logicalId, LambdaFunction::handlerClass)
                .containsExactlyInAnyOrder(
                        tuple("IndexFunction", "app.signin.handler.IndexHandler"),
                        tuple("LoginFunction", "app.signin.handler.LoginHandler"),
                        tuple("CallbackFunction", "app.signin.handler.CallbackHandler"),
                        tuple("LogoutFunction", "app.signin.handler.LogoutHandler"),
                        tuple("AuthorizerFunction", "app.signin.handler.AuthorizerHandler"),
                        tuple("MeFunction", "app.signin.handler.MeHandler"),
                        tuple("HelloFunction", "app.signin.handler.HelloHandler"),
                        tuple("GoogleUserinfoFunction", "app.signin.handler.GoogleUserinfoHandler"),
                        tuple("HealthFunction", "app.signin.handler.HealthHandler"),
                        tuple("NotFoundFunction", "app.signin.handler.NotFoundHandler"),
                        tuple("SessionsFunction", "app.signin.handler.SessionsHandler"),
                        tuple("EndSessionFunction", "app.signin.handler.EndSessionHandler"),
                        tuple("EndUserSessionsFunction", "app.signin.handler.EndUserSessionsHandler"));
    }

    @Test
    void everyFunctionsHandler_isARequestHandlerOnTheClasspath_withTheTemplatesTimeoutAndMemory() throws Exception {
        ApiTemplate template = ApiTemplate.read(TEMPLATE);
        Map<String, Object> resources = ApiTemplate.map(CloudFormationYaml.read(TEMPLATE).get("Resources"));

        for (LambdaFunction function : template.functions()) {
            // A stream handler is what Lambda prefers; the runner (and tests) also need the event-object form
            // for every function a route or authorizer invokes.
            Class<?> type = Class.forName(function.handlerClass());
            assertThat(RequestHandler.class.isAssignableFrom(type) || RequestStreamHandler.class.isAssignableFrom(type))
                    .as(function.logicalId()).isTrue();
            Object timeout = ApiTemplate.map(ApiTemplate.map(resources.get(function.logicalId())).get("Properties"))
                    .get("Timeout");
            if (timeout != null) {
                assertThat(function.timeoutSeconds()).isEqualTo(Integer.parseInt(timeout.toString()));
            }
            assertThat(function.memoryMb()).isPositive();
        }
    }

    /** The indexes the store queries are the ones the template creates: one shape, read from both. */
    @Test
    void sessionsTable_inTheTemplate_hasExactlyTheIndexesOfSessionTable() {
        Map<String, Object> resources = ApiTemplate.map(CloudFormationYaml.read(TEMPLATE).get("Resources"));
        Map<String, Object> table = ApiTemplate.map(ApiTemplate.map(resources.get("SessionsTable")).get("Properties"));
        List<String> declared = new java.util.ArrayList<>();
        for (Object o : (List<?>) table.get("GlobalSecondaryIndexes")) {
            Map<String, Object> index = ApiTemplate.map(o);
            Map<String, Object> projection = ApiTemplate.map(index.get("Projection"));
            declared.add(index.get("IndexName") + " " + ((List<?>) index.get("KeySchema")).stream()
                    .map(k -> ApiTemplate.map(k).get("AttributeName") + ":" + ApiTemplate.map(k).get("KeyType")).toList()
                    + " " + projection.get("ProjectionType") + " " + projection.getOrDefault("NonKeyAttributes", List.of()));
        }
        List<String> definitions = ((List<?>) table.get("AttributeDefinitions")).stream()
                .map(a -> ApiTemplate.map(a).get("AttributeName") + ":" + ApiTemplate.map(a).get("AttributeType")).toList();

        var expected = app.signin.store.SessionTable.createRequest("t");
        assertThat(declared).containsExactlyInAnyOrderElementsOf(expected.globalSecondaryIndexes().stream()
                .map(i -> i.indexName() + " " + i.keySchema().stream().map(k -> k.attributeName() + ":" + k.keyTypeAsString())
                        .toList() + " " + i.projection().projectionTypeAsString() + " " + i.projection().nonKeyAttributes())
                .toList());
        assertThat(definitions).containsExactlyInAnyOrderElementsOf(expected.attributeDefinitions().stream()
                .map(a -> a.attributeName() + ":" + a.attributeTypeAsString()).toList());
    }

    @Test
    void cloudFormationShortFormTags_areReadAsPlainValues() {
        Map<String, Object> yaml = CloudFormationYaml.parse("""
                A: !Ref HttpApi
                B: !GetAtt SessionsTable.Arn
                C: !Sub https://${HttpApi}.execute-api.${AWS::Region}.amazonaws.com/
                D: !If [HasArn, !Ref Arn, !Ref Stored]
                E: !Join ['', [a, !Ref B]]
                F: !Not [!Equals [!Ref X, '']]
                G: !FindInMap
                  - Map
                  - Key
                  - Value
                """);

        assertThat(yaml).containsEntry("A", "HttpApi")
                .containsEntry("B", "SessionsTable.Arn")
                .containsEntry("C", "https://${HttpApi}.execute-api.${AWS::Region}.amazonaws.com/")
                .containsEntry("D", List.of("HasArn", "Arn", "Stored"))
                .containsEntry("E", List.of("", List.of("a", "B")))
                .containsEntry("F", List.of(List.of("X", "")))
                .containsEntry("G", List.of("Map", "Key", "Value"));
    }

    @Test
    void handlerAndTimeout_fallBackToGlobals_andAnHttpApiEventWithoutPathIsTheDefaultRoute() {
        ApiTemplate template = ApiTemplate.from(Path.of("t.yaml"), CloudFormationYaml.parse("""
                Globals:
                  Function:
                    Handler: example.Handler::handleRequest
                    Timeout: 9
                Resources:
                  Api:
                    Type: AWS::Serverless::HttpApi
                  CatchAll:
                    Type: AWS::Serverless::Function
                    Properties:
                      MemorySize: 256
                      Events:
                        Everything:
                          Type: HttpApi
                          Properties:
                            ApiId: !Ref Api
                        Queue:
                          Type: SQS
                          Properties:
                            Queue: !GetAtt Q.Arn
                """));

        assertThat(template.functions()).containsExactly(new LambdaFunction("CatchAll", "example.Handler::handleRequest", 9, 256));
        assertThat(template.routes()).containsExactly(new Route("ANY", "$default", "CatchAll"));
        assertThat(template.routes().getFirst().routeKey()).isEqualTo("$default");
    }

    @Test
    void pathParameters_areRefusedLoudly_ratherThanRoutedDifferentlyFromApiGateway() {
        var yaml = CloudFormationYaml.parse("""
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: example.Handler
                      Events:
                        Item:
                          Type: HttpApi
                          Properties:
                            Path: /items/{id}
                            Method: get
                """);

        assertThatThrownBy(() -> ApiTemplate.from(Path.of("t.yaml"), yaml))
                .hasMessageContaining("/items/{id}").hasMessageContaining("not supported");
    }

    @Test
    void aRouteDeclaredTwice_isRefused() {
        var yaml = CloudFormationYaml.parse("""
                Resources:
                  One:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: example.One
                      Events:
                        E: { Type: HttpApi, Properties: { Path: /, Method: GET } }
                  Two:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: example.Two
                      Events:
                        E: { Type: HttpApi, Properties: { Path: /, Method: get } }
                """);

        assertThatThrownBy(() -> ApiTemplate.from(Path.of("t.yaml"), yaml)).hasMessageContaining("GET / is declared twice");
    }
}
