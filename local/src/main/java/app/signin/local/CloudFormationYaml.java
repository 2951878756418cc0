package app.signin.local;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a CloudFormation / SAM template. Short-form intrinsic functions ({@code !Ref}, {@code !Sub},
 * {@code !GetAtt}, {@code !If} ...) are tags a plain YAML loader refuses; here each is read as the plain
 * scalar, list or map it tags ({@code !Ref HttpApi} becomes {@code "HttpApi"}). The runner only needs the
 * template's shape - functions, handlers, routes - and never evaluates an intrinsic.
 */
final class CloudFormationYaml {
    private CloudFormationYaml() {
    }

    static Map<String, Object> read(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(reader, file.toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static Map<String, Object> parse(String yaml) {
        return parse(new java.io.StringReader(yaml), "template");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(Reader reader, String name) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false); // CloudFormation refuses them too
        Object document = new Yaml(new IntrinsicsAsPlainValues(options)).load(reader);
        if (!(document instanceof Map<?, ?> map)) {
            throw new IllegalStateException(name + " is not a YAML mapping");
        }
        return (Map<String, Object>) map;
    }

    /** A safe constructor whose fallback for unknown tags builds the untagged value instead of failing. */
    private static final class IntrinsicsAsPlainValues extends SafeConstructor {
        IntrinsicsAsPlainValues(LoaderOptions options) {
            super(options);
            this.yamlConstructors.put(null, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    return switch (node) {
                        case ScalarNode scalar -> constructScalar(scalar);
                        case SequenceNode sequence -> constructSequence(sequence);
                        case MappingNode mapping -> constructMapping(mapping);
                        default -> throw new IllegalStateException("unexpected YAML node " + node.getNodeId());
                    };
                }
            });
        }
    }
}
