package app.signin.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * A Google client secret encrypted with a customer managed KMS key can be read only with kms:Decrypt on
 * that key. The template grants it exactly where the secret is read - every function whose role may read
 * the client secret (the callback's code exchange, the Google userinfo function's refresh), and no other -
 * only when a key is named, and only through Secrets Manager for that one secret.
 */
class SecretsKmsGrantTest {
    static final Path TEMPLATE = ApiTemplate.find(Path.of(""));

    @Test
    void kmsDecrypt_isGrantedExactlyToTheFunctionsThatReadTheClientSecret_onTheNamedKey_throughSecretsManager() {
        Map<String, Object> template = CloudFormationYaml.read(TEMPLATE);
        Map<String, Object> resources = ApiTemplate.map(template.get("Resources"));

        // GIVEN every policy statement of every function, conditional ones included
        List<String> functionsWithKms = new ArrayList<>();
        List<String> clientSecretReaders = new ArrayList<>();
        Map<String, Map<String, Object>> grants = new LinkedHashMap<>();
        Map<String, List<Object>> grantIfs = new LinkedHashMap<>();
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
                        grants.put(resource.getKey(), s);
                        grantIfs.put(resource.getKey(), statement instanceof List<?> l ? List.copyOf(l) : null);
                    }
                    if (String.valueOf(s.get("Action")).contains("secretsmanager:GetSecretValue")
                            && String.valueOf(s.get("Resource")).contains("GoogleClientSecretArn")) {
                        clientSecretReaders.add(resource.getKey());
                    }
                }
            }
        }

        // THEN exactly the client secret's readers have it - the callback and the userinfo function's refresh
        assertThat(clientSecretReaders).containsExactlyInAnyOrder("CallbackFunction", "GoogleUserinfoFunction");
        assertThat(functionsWithKms).containsExactlyInAnyOrderElementsOf(clientSecretReaders);
        Map<String, Object> parameters = ApiTemplate.map(template.get("Parameters"));
        assertThat(ApiTemplate.map(parameters.get("GoogleClientSecretKmsKeyArn"))).containsEntry("Default", "");
        Object condition = ApiTemplate.map(template.get("Conditions")).get("DecryptGoogleClientSecretWithKey");
        assertThat(String.valueOf(condition)).contains("HasGoogleClientSecretArn").contains("GoogleClientSecretKmsKeyArn");
        for (String function : functionsWithKms) {
            // on the parameter's key, via Secrets Manager, for the given secret
            Map<String, Object> grant = grants.get(function);
            assertThat(grant).as(function).containsEntry("Action", "kms:Decrypt")
                    .containsEntry("Resource", "GoogleClientSecretKmsKeyArn");
            Map<String, Object> equals = ApiTemplate.map(ApiTemplate.map(grant.get("Condition")).get("StringEquals"));
            assertThat(equals).as(function).containsEntry("kms:ViaService", "secretsmanager.${AWS::Region}.amazonaws.com")
                    .containsEntry("kms:EncryptionContext:SecretARN", "GoogleClientSecretArn");
            // AND only when a key and a secret ARN are given
            List<Object> grantIf = grantIfs.get(function);
            assertThat(grantIf).as(function + ": the grant is conditional").isNotNull();
            assertThat(grantIf.get(0)).as(function).isEqualTo("DecryptGoogleClientSecretWithKey");
        }
    }
}
