package io.quire.execution.parameters;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.testing.Engines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a Python snippet over lines of input and returns its output lines: Python itself is the reference. */
final class PythonOracle {
    private PythonOracle() {
    }

    static List<String> map(String perLineExpression, List<String> inputs) throws IOException, InterruptedException {
        return map("", perLineExpression, inputs);
    }

    static List<String> map(String prelude, String perLineExpression, List<String> inputs)
            throws IOException, InterruptedException {
        Engines.requirePythonModules("json");
        Path in = Files.createTempFile("oracle", ".txt");
        try {
            // one JSON string per line, so any character survives the trip
            StringBuilder lines = new StringBuilder();
            for (String input : inputs) {
                lines.append(com.fasterxml.jackson.databind.node.TextNode.valueOf(input).toString()).append('\n');
            }
            Files.writeString(in, lines, StandardCharsets.UTF_8);
            String program = "import json,sys\n" + prelude + "\n"
                    + "for line in open(sys.argv[1], encoding='utf-8'):\n"
                    + "    x = json.loads(line)\n"
                    + "    print(json.dumps(" + perLineExpression + "))\n";
            Process process = new ProcessBuilder(Engines.requirePythonModules("json"), "-c", program, in.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            byte[] out = process.getInputStream().readAllBytes();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
            return new String(out, StandardCharsets.UTF_8).lines()
                    .map(line -> {
                        try {
                            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).asText();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .toList();
        } finally {
            Files.deleteIfExists(in);
        }
    }
}
