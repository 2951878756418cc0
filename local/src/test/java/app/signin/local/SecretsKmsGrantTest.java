package app.signin.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * A Google client secret encrypted with a customer managed KMS key can be read only with kms:Decrypt on
 * that key. The template grants it exactly where the secret is read - the callback - only when a key is
 * named, and only through Secrets Manager for that one secret.
 */
class SecretsKmsGrantTest {
    static final Path TEMPLATE = ApiTemplate.find(Path.of(""));

    @Test
    void kmsDecrypt_isGrantedToTheCallbackAlone_onTheNamedKey_throughSecretsManager_forTheClientSecret() {
        Map<String, Object> template = CloudFormationYaml.read(TEMPLATE);
        Map<String, Object> resources = ApiTemplate.map(template.get("Resources"));

        // GIVEN every policy statement of every function, conditional ones included
        List<String> functionsWithKms = new ArrayList<>();
        Map<String, Object> grant = null;
        List<Object> grantIf = null;
        for (Map.Entry<String, Object> resource : resources.entrySet()) {
            Map<String, Object> r = ApiTemplate.map(resource.getValue());
            if (!"AWS::Serverless::Function".equals(r.get("Type"))) {
                continue;
            }
            Object policies = ApiTemplate.map(r.get("Properties")).get("Policies");
            if (policies == null) {
                continue;
            }
            for (Object policy : (List<?>) policies) {
                for (Object statement : (List<?>) ApiTemplate.map(policy).get("Statement")) {
                    // !If [condition, statement, !Ref AWS::NoValue] reads as a three-element list
                    Map<String, Object> s = statement instanceof List<?> branches
                            ? ApiTemplate.map(branches.get(1)) : ApiTemplate.map(statement);
                    if (String.valueOf(s.get("Action")).contains("kms:")) {
                        functionsWithKms.add(resource.getKey());
                        grant = s;
                        grantIf = statement instanceof List<?> l ? List.copyOf(l) : null;
                    }
                }
            }
        }

        // THEN only the callback has it, on the parameter's key, via Secrets Manager, for the given secret
        assertThat(functionsWithKms).containsExactly("CallbackFunction");
        assertThat(grant).containsEntry("Action", "kms:Decrypt").containsEntry("Resource", "GoogleClientSecretKmsKeyArn");
        Map<String, Object> equals = ApiTemplate.map(ApiTemplate.map(grant.get("Condition")).get("StringEquals"));
        assertThat(equals).containsEntry("kms:ViaService", "secretsmanager.${AWS::Region}.amazonaws.com")
                .containsEntry("kms:EncryptionContext:SecretARN", "GoogleClientSecretArn");
        // AND only when a key and a secret ARN are given
        assertThat(grantIf).as("the grant is conditional").isNotNull();
        assertThat(grantIf.get(0)).isEqualTo("DecryptGoogleClientSecretWithKey");
        Map<String, Object> parameters = ApiTemplate.map(template.get("Parameters"));
        assertThat(ApiTemplate.map(parameters.get("GoogleClientSecretKmsKeyArn"))).containsEntry("Default", "");
        Object condition = ApiTemplate.map(template.get("Conditions")).get("DecryptGoogleClientSecretWithKey");
        assertThat(String.valueOf(condition)).contains("HasGoogleClientSecretArn").contains("GoogleClientSecretKmsKeyArn");
    }
}
