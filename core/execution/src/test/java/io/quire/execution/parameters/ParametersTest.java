package io.quire.execution.parameters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParametersTest {

    @Test
    void typed_recognisesExactlyTrueFalseNone() {
        assertThat(Parameters.typed("True")).isEqualTo(new ParameterValue.Bool(true));
        assertThat(Parameters.typed("False")).isEqualTo(new ParameterValue.Bool(false));
        assertThat(Parameters.typed("None")).isEqualTo(new ParameterValue.None());
        assertThat(Parameters.typed("true")).isEqualTo(new ParameterValue.Text("true"));
        assertThat(Parameters.typed("none")).isEqualTo(new ParameterValue.Text("none"));
    }

    @Test
    void typed_acceptsWhatPythonIntAndFloatAccept() throws Exception {
        List<String> inputs = List.of("3", " 3 ", "007", "-12", "+5", "1_000", "1__0", "_1", "0x10", "1e5", ".5", "5.",
                "1_0.5", "nan", "-inf", "Infinity", "NaN", "1.5e-3", "abc", "", " ", "12a", "١٢", "1e", "e5", "--1");
        List<String> oracle = oracleKinds(inputs);
        for (int i = 0; i < inputs.size(); i++) {
            assertThat(kind(Parameters.typed(inputs.get(i)))).as("typing of '%s'", inputs.get(i)).isEqualTo(oracle.get(i));
        }
    }

    private static List<String> oracleKinds(List<String> inputs) throws Exception {
        String prelude = """
                def kind(v):
                    try:
                        return 'int:' + str(int(v))
                    except ValueError:
                        pass
                    try:
                        f = float(v)
                    except ValueError:
                        return 'str:' + v
                    if f != f:
                        return 'float:nan'
                    if f in (float('inf'), float('-inf')):
                        return 'float:' + ('inf' if f > 0 else '-inf')
                    return 'float:' + repr(f)
                """;
        return PythonOracle.map(prelude, "kind(x)", inputs);
    }

    private static String kind(ParameterValue value) {
        return switch (value) {
            case ParameterValue.Int integer -> "int:" + integer.value();
            case ParameterValue.Float number -> "float:" + PythonTranslator.floatRepr(number.value())
                    .replace("float('nan')", "nan").replace("float('inf')", "inf").replace("float('-inf')", "-inf");
            case ParameterValue.Text text -> "str:" + text.value();
            default -> value.toString();
        };
    }

    @Test
    void put_keepsFirstPositionWhenANameIsGivenAgain() {
        Parameters parameters = new Parameters()
                .put("a", new ParameterValue.Int(BigInteger.ONE))
                .put("b", new ParameterValue.Int(BigInteger.TWO))
                .put("a", new ParameterValue.Text("x"));
        assertThat(parameters.asMap().keySet()).containsExactly("a", "b");
        assertThat(parameters.asMap().get("a")).isEqualTo(new ParameterValue.Text("x"));
    }

    @Test
    void yaml_keepsTypesListsAndMapsAndLeavesDatesAsText() {
        Map<String, ParameterValue> parameters = YamlParameters.parse(
                "n: 3\nx: 0.5\nflag: yes\nnothing: ~\nday: 2024-01-02\nitems: [1, two]\nnested: {k: [true]}\n", "test");
        assertThat(parameters.keySet()).containsExactly("n", "x", "flag", "nothing", "day", "items", "nested");
        assertThat(parameters.get("n")).isEqualTo(new ParameterValue.Int(BigInteger.valueOf(3)));
        assertThat(parameters.get("x")).isEqualTo(new ParameterValue.Float(0.5));
        assertThat(parameters.get("flag")).isEqualTo(new ParameterValue.Bool(true));
        assertThat(parameters.get("nothing")).isEqualTo(new ParameterValue.None());
        assertThat(parameters.get("day")).isEqualTo(new ParameterValue.Text("2024-01-02"));
        assertThat(new PythonTranslator().translate(parameters.get("items"))).isEqualTo("[1, \"two\"]");
        assertThat(new PythonTranslator().translate(parameters.get("nested"))).isEqualTo("{\"k\": [True]}");
    }

    @Test
    void yaml_refusesNonMappingAndMalformedDocumentsWithTheSourceName() {
        assertThatThrownBy(() -> YamlParameters.parse("- a\n- b\n", "params.yaml"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("params.yaml").hasMessageContaining("mapping");
        assertThatThrownBy(() -> YamlParameters.parse("a: [1,\n", "bad.yaml"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("bad.yaml");
    }
}
