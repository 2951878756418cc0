package app.signin.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import app.signin.handler.Wiring;
import app.signin.testing.SiteUnderTest;

/**
 * template.yaml must name every stream handler by class alone. Then the Lambda runtime drives it as a
 * {@link RequestStreamHandler} (web.HttpApiJson reads the event, no reflection-based mapping). With
 * "Class::handleRequest" the runtime would instead choose among the class's handleRequest overloads
 * reflectively.
 */
class LambdaEntryPointsTest {
    @Test
    void everyStreamHandlerInTheTemplate_isNamedWithoutAMethod() throws IOException, ClassNotFoundException {
        List<String> handlers = templateHandlers();

        assertThat(handlers).contains("app.signin.handler.IndexHandler", "app.signin.handler.LoginHandler",
                "app.signin.handler.CallbackHandler", "app.signin.handler.LogoutHandler");
        for (String handler : handlers) {
            Class<?> type = Class.forName(handler.split("::")[0]);
            if (RequestStreamHandler.class.isAssignableFrom(type)) {
                assertThat(handler).as("stream handler named by class alone").doesNotContain("::");
            }
        }
    }

    /**
     * Every function, the authorizer and the API functions included: a POJO handler would bring back the
     * runtime's Jackson mapping (~830 classes, the authorizer's cold start 4,769 -> 3,820 classes without it)
     * and joda-time, which the package no longer ships.
     */
    @Test
    void everyFunctionInTheTemplate_isAStreamHandler() throws IOException, ClassNotFoundException {
        List<String> handlers = templateHandlers();

        assertThat(handlers).contains("app.signin.handler.AuthorizerHandler", "app.signin.handler.MeHandler",
                "app.signin.handler.HelloHandler", "app.signin.handler.HealthHandler");
        for (String handler : handlers) {
            assertThat(RequestStreamHandler.class.isAssignableFrom(Class.forName(handler))).as(handler).isTrue();
        }
    }

    /** The shipped event read and the response written by our own codec, read back as the runtime reads it. */
    @Test
    void aHandlerDrivenAsAStreamHandlerDrivenAsAStreamHandler_answersTheShippedEvent() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SiteUnderTest site = SiteUnderTest.builder().inMemory().start()) {
            Wiring.index(site.app()).handleRequest(Files.newInputStream(repository().resolve("events/index.json")), out, null);
        }

        APIGatewayV2HTTPResponse response = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPResponse.class,
                LambdaEntryPointsTest.class.getClassLoader()).fromJson(new ByteArrayInputStream(out.toByteArray()));
        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getBody()).contains("Sign in with Google");
        assertThat(response.getHeaders()).containsEntry("strict-transport-security", "max-age=31536000; includeSubDomains");
    }

    /** Every {@code Handler:} string in template.yaml. */
    static List<String> templateHandlers() throws IOException {
        Matcher m = Pattern.compile("(?m)^\\s+Handler:\\s*(\\S+)\\s*$").matcher(Files.readString(repository().resolve("template.yaml")));
        return m.results().map(r -> r.group(1)).toList();
    }

    static Path repository() {
        return SiteUnderTest.REPOSITORY;
    }
}
