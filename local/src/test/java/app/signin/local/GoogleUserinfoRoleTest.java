package app.signin.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The IAM role of {@code GoogleUserinfoFunction} in template.yaml grants what a token refresh needs and
 * nothing more: read a session, replace only its sealed tokens (no read-back), end it on {@code invalid_grant}
 * - each on session items ({@code s#*}) alone - and read the two secrets (decrypting the client secret when a
 * customer managed key is named, as the callback does). Its SnapStart priming makes exactly
 * the read and the conditional update ({@code SnapStartPrimingTest}), both granted here.
 */
class GoogleUserinfoRoleTest {

    @Test
    void googleUserinfoRole_grantsOnlyTheSessionCallsOfARefresh_onSessionItems_andUpdatesOnlyTheTokens() {
        List<Map<String, Object>> statements = statements("GoogleUserinfoFunction").stream()
                .filter(s -> !(s instanceof List<?>)).map(ApiTemplate::map).toList();

        Map<String, Map<String, Object>> byAction = statements.stream()
                .collect(Collectors.toMap(s -> (String) s.get("Action"), s -> s));
        assertThat(byAction.keySet()).containsExactlyInAnyOrder("dynamodb:GetItem", "dynamodb:UpdateItem",
                "dynamodb:DeleteItem", "secretsmanager:GetSecretValue");
        assertThat(statements).allSatisfy(s -> assertThat(s.get("Effect")).isEqualTo("Allow"));
        for (String action : List.of("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem")) {
            Map<String, Object> condition = ApiTemplate.map(byAction.get(action).get("Condition"));
            assertThat(ApiTemplate.map(condition.get("ForAllValues:StringLike")))
                    .as(action).isEqualTo(Map.of("dynamodb:LeadingKeys", List.of("s#*")));
            assertThat(byAction.get(action).get("Resource")).as(action).isEqualTo("SessionsTable.Arn");
        }
        Map<String, Object> update = ApiTemplate.map(byAction.get("dynamodb:UpdateItem").get("Condition"));
        assertThat(ApiTemplate.map(update.get("ForAllValues:StringEquals")))
                .isEqualTo(Map.of("dynamodb:Attributes", List.of("pk", "tokens", "tokenKeyId")));
        assertThat(ApiTemplate.map(update.get("StringEqualsIfExists")))
                .isEqualTo(Map.of("dynamodb:ReturnValues", "NONE"));
    }

    /**
     * The refresh reads the Google client secret, so with a customer managed key on it the role needs
     * kms:Decrypt as the callback's has it (SecretsKmsGrantTest checks its shape): without it every refresh
     * is a 503 that no retry fixes.
     */
    @Test
    void googleUserinfoRole_mayDecryptTheClientSecret_exactlyWhenAKeyIsNamed_andHasNoOtherConditionalGrant() {
        List<List<?>> conditional = statements("GoogleUserinfoFunction").stream()
                .filter(s -> s instanceof List<?>).map(s -> (List<?>) s).collect(Collectors.toList());

        assertThat(conditional).hasSize(1);
        List<?> grant = conditional.getFirst();
        assertThat(grant.get(0)).isEqualTo("DecryptGoogleClientSecretWithKey");
        assertThat(ApiTemplate.map(grant.get(1))).containsEntry("Effect", "Allow").containsEntry("Action", "kms:Decrypt")
                .containsEntry("Resource", "GoogleClientSecretKmsKeyArn");
        assertThat(grant.get(2)).isEqualTo("AWS::NoValue");
    }

    /** Each statement as the template has it: a mapping, or {@code !If [condition, statement, !Ref AWS::NoValue]}. */
    @SuppressWarnings("unchecked")
    static List<Object> statements(String function) {
        Map<String, Object> resources = ApiTemplate.map(CloudFormationYaml.read(ApiTemplateTest.TEMPLATE).get("Resources"));
        Map<String, Object> properties = ApiTemplate.map(ApiTemplate.map(resources.get(function)).get("Properties"));
        List<Object> policies = (List<Object>) properties.get("Policies");
        assertThat(policies).hasSize(1);
        return (List<Object>) ApiTemplate.map(policies.getFirst()).get("Statement");
    }
}
