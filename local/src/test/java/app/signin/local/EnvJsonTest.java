package app.signin.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * {@code sam local start-api --env-vars env.json} silently ignores a variable the template does not declare
 * for that function, so a typo in env.json would only show as a puzzling failure. These tests make it loud.
 */
class EnvJsonTest {
    static final Path TEMPLATE = ApiTemplate.find(Path.of(""));
    static final Path ENV_JSON = TEMPLATE.resolveSibling("env.json");

    @Test
    void envJson_setsOnlyVariablesTheTemplateDeclaresForThatFunction() throws Exception {
        Map<String, Object> template = CloudFormationYaml.read(TEMPLATE);
        Map<String, Object> env = JSONObjectUtils.parse(Files.readString(ENV_JSON));

        for (Map.Entry<String, Object> entry : env.entrySet()) {
            Set<String> declared = entry.getKey().equals("Parameters")
                    ? declaredAnywhere(template) // SAM applies "Parameters" to every function declaring the name
                    : declared(template, entry.getKey());
            assertThat(ApiTemplate.map(entry.getValue()).keySet())
                    .as("variables env.json sets for %s", entry.getKey())
                    .isSubsetOf(declared);
        }
    }

    @Test
    void envJson_hasAnEntryForEveryFunctionInTheTemplate() throws Exception {
        Map<String, Object> env = JSONObjectUtils.parse(Files.readString(ENV_JSON));
        ApiTemplate template = ApiTemplate.read(TEMPLATE);

        for (ApiTemplate.LambdaFunction function : template.functions()) {
            assertThat(env).as("env.json").containsKey(function.logicalId());
        }
        assertThat(env.keySet()).as("env.json entries that are neither a function nor Parameters")
                .allSatisfy(key -> assertThat(key.equals("Parameters") || template.function(key).isPresent())
                        .as(key).isTrue());
    }

    /** The function's own Environment.Variables plus Globals'. */
    static Set<String> declared(Map<String, Object> template, String functionId) {
        Map<String, Object> resource = ApiTemplate.map(ApiTemplate.map(template.get("Resources")).get(functionId));
        assertThat(resource.get("Type")).as("%s in template.yaml", functionId).isEqualTo(ApiTemplate.FUNCTION_TYPE);
        Set<String> names = new LinkedHashSet<>(globals(template));
        names.addAll(variables(ApiTemplate.map(resource.get("Properties"))));
        return names;
    }

    static Set<String> declaredAnywhere(Map<String, Object> template) {
        Set<String> names = new LinkedHashSet<>(globals(template));
        ApiTemplate.map(template.get("Resources")).values().stream().map(ApiTemplate::map)
                .filter(r -> ApiTemplate.FUNCTION_TYPE.equals(r.get("Type")))
                .forEach(r -> names.addAll(variables(ApiTemplate.map(r.get("Properties")))));
        return names;
    }

    static Set<String> globals(Map<String, Object> template) {
        return variables(ApiTemplate.map(ApiTemplate.map(template.get("Globals")).get("Function")));
    }

    static Set<String> variables(Map<String, Object> properties) {
        return ApiTemplate.map(ApiTemplate.map(properties.get("Environment")).get("Variables")).keySet();
    }
}
