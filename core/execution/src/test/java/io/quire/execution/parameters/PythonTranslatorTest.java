package io.quire.execution.parameters;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PythonTranslatorTest {
    private final PythonTranslator translator = new PythonTranslator();

    @Test
    void codify_writesCommentThenOneAssignmentPerLineEndingWithNewline() {
        Map<String, ParameterValue> parameters = new LinkedHashMap<>();
        parameters.put("foo", new ParameterValue.Text("bar"));
        parameters.put("baz", new ParameterValue.ListValue(List.of(new ParameterValue.Text("buz"))));
        assertThat(translator.codify(parameters)).isEqualTo("# Parameters\nfoo = \"bar\"\nbaz = [\"buz\"]\n");
    }

    @Test
    void translate_rendersScalarsAsPapermillDoes() {
        assertThat(translator.translate(new ParameterValue.None())).isEqualTo("None");
        assertThat(translator.translate(new ParameterValue.Bool(true))).isEqualTo("True");
        assertThat(translator.translate(new ParameterValue.Int(new BigInteger("123456789012345678901234567890"))))
                .isEqualTo("123456789012345678901234567890");
        assertThat(translator.translate(new ParameterValue.Float(Double.NaN))).isEqualTo("float('nan')");
        assertThat(translator.translate(new ParameterValue.Float(Double.NEGATIVE_INFINITY))).isEqualTo("float('-inf')");
        assertThat(translator.translate(new ParameterValue.Text("it's \"x\""))).isEqualTo("\"it's \\\"x\\\"\"");
    }

    @Test
    void translate_quotesEveryMapKeyAndNestsValues() {
        Map<ParameterValue, ParameterValue> map = new LinkedHashMap<>();
        map.put(new ParameterValue.Int(BigInteger.ONE), new ParameterValue.Int(BigInteger.TWO));
        map.put(new ParameterValue.Text("a"), new ParameterValue.ListValue(List.of(new ParameterValue.None())));
        assertThat(translator.translate(new ParameterValue.MapValue(map))).isEqualTo("{\"1\": 2, \"a\": [None]}");
    }

    @Test
    void floatRepr_matchesPythonReprForRandomAndEdgeValues() throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        List<Double> values = new ArrayList<>(List.of(1.0, 0.1, 1e16, 1e15, 1e-5, 1e-4, 123456789.123, -5432.1,
                1.2345678901234568e+17, Double.MIN_VALUE, Double.MAX_VALUE, 5e-324, 0.5, 100.0, 9999999999999998.0));
        for (int i = 0; i < 300; i++) {
            values.add(Double.longBitsToDouble(random.nextLong()));
            values.add(random.nextDouble() * Math.pow(10, random.nextInt(-30, 30)));
        }
        values.removeIf(v -> v.isNaN() || v.isInfinite());
        List<String> inputs = values.stream().map(v -> Long.toString(Double.doubleToRawLongBits(v))).toList();
        List<String> expected = PythonOracle.map(
                "repr(__import__('struct').unpack('<d', __import__('struct').pack('<q', int(x)))[0])", inputs);
        for (int i = 0; i < values.size(); i++) {
            assertThat(PythonTranslator.floatRepr(values.get(i))).as("repr of %s", values.get(i)).isEqualTo(expected.get(i));
        }
    }

    @Test
    void quote_matchesPapermillUnicodeEscapeForAwkwardText() throws Exception {
        List<String> inputs = List.of("plain", "it's", "say \"hi\"", "back\\slash", "tab\tnew\nline\rcr",
                "\u0000\u0001\u001f\u007f", "é ü ÿ", "中文 Ελληνικά", "emoji 😀 🎉", "\u0301combining", "\u202eRTL");
        List<String> expected = PythonOracle.map(
                "'\"' + x.encode('unicode_escape').decode('utf-8').replace('\"', '\\\\\"') + '\"'", inputs);
        for (int i = 0; i < inputs.size(); i++) {
            assertThat(PythonTranslator.quote(inputs.get(i))).as("quote of %s", inputs.get(i)).isEqualTo(expected.get(i));
        }
    }
}
