package io.quire.execution.parameters;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads parameters from YAML as papermill's {@code -f}/{@code -y} do: YAML 1.1 safe loading (so {@code yes}/{@code no}
 * are booleans and {@code ~} is none) except that dates stay text.
 */
public final class YamlParameters {

    private YamlParameters() {
    }

    /**
     * Parses a YAML document holding a mapping of parameter names to values.
     *
     * @param yaml   the document
     * @param source where it came from, for messages (a file name, or "-y")
     * @return the parameters, in document order; empty for an empty document
     * @throws ParameterException if the YAML is malformed or not a mapping
     */
    public static Map<String, ParameterValue> parse(String yaml, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        Yaml parser = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
                options, new NoDatesResolver());
        Object document;
        try {
            document = parser.load(yaml);
        } catch (YAMLException e) {
            throw new ParameterException("cannot read parameters from " + source + ": " + e.getMessage(), e);
        }
        if (document == null) {
            return Map.of();
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw new ParameterException("parameters in " + source + " must be a YAML mapping of names to values, got "
                    + document.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
        }
        Map<String, ParameterValue> parameters = new LinkedHashMap<>();
        map.forEach((key, value) -> parameters.put(String.valueOf(key), convert(value)));
        return parameters;
    }

    private static ParameterValue convert(Object value) {
        return switch (value) {
            case null -> new ParameterValue.None();
            case String text -> new ParameterValue.Text(text);
            case Boolean bool -> new ParameterValue.Bool(bool);
            case Integer integer -> new ParameterValue.Int(BigInteger.valueOf(integer));
            case Long integer -> new ParameterValue.Int(BigInteger.valueOf(integer));
            case BigInteger integer -> new ParameterValue.Int(integer);
            case Double number -> new ParameterValue.Float(number);
            case Float number -> new ParameterValue.Float(number.doubleValue());
            case List<?> list -> new ParameterValue.ListValue(list.stream().map(YamlParameters::convert).toList());
            case Map<?, ?> map -> {
                Map<ParameterValue, ParameterValue> entries = new LinkedHashMap<>();
                map.forEach((k, v) -> entries.put(convert(k), convert(v)));
                yield new ParameterValue.MapValue(entries);
            }
            default -> new ParameterValue.Other(String.valueOf(value));
        };
    }

    /** SnakeYAML's YAML 1.1 implicit types without timestamps, like papermill's {@code NoDatesSafeLoader}. */
    private static final class NoDatesResolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.BOOL, BOOL, "yYnNtTfFoO");
            addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.INT, INT, "-+0123456789");
            addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.FLOAT, FLOAT, "-+0123456789.");
            addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.MERGE, MERGE, "<");
            addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.NULL, EMPTY, null);
            addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.YAML, YAML, "!&*");
        }
    }
}
