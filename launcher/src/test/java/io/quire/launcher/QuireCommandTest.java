package io.quire.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class QuireCommandTest {

    private record Result(int exit, String out, String err) {
    }

    private static Result execute(String... args) {
        CommandLine commandLine = QuireCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void version_printsQuireAndJavaVersion() {
        Result result = execute("--version");
        assertThat(result.exit()).isZero();
        assertThat(result.out()).startsWith("quire ").contains("Java " + Runtime.version().feature());
    }

    @Test
    void help_listsTheRunSubcommand() {
        Result result = execute("--help");
        assertThat(result.exit()).isZero();
        assertThat(result.out()).contains("run").contains("Usage: quire");
    }

    @Test
    void help_listsTheDesktopAsTheDefault() {
        Result result = execute("--help");
        assertThat(result.exit()).isZero();
        assertThat(result.out()).contains("desktop").contains("Without a command, quire opens the desktop app");
    }

    @Test
    void desktopHelp_documentsItsOptions() {
        Result result = execute("desktop", "--help");
        assertThat(result.exit()).isZero();
        assertThat(result.out()).contains("NOTEBOOK", "--root", "--dark", "--new-instance")
                .doesNotContain("--exit-after-first-screen");
    }

    @Test
    void aNotebookAsTheOnlyArgumentOpensItInTheDesktop() {
        assertThat(QuireCommand.withDefaultCommand(new String[] {"/home/ada/x.ipynb"}))
                .containsExactly("desktop", "/home/ada/x.ipynb");
        assertThat(QuireCommand.withDefaultCommand(new String[] {"run", "x.ipynb"})).containsExactly("run", "x.ipynb");
        assertThat(QuireCommand.withDefaultCommand(new String[] {"--version"})).containsExactly("--version");
        assertThat(QuireCommand.withDefaultCommand(new String[0])).isEmpty();
    }

    @Test
    void desktop_onLinuxWithoutADisplaySaysSo() {
        assertThat(DesktopCommand.missingDisplay(java.util.Map.of(), "Linux", null)).get().asString()
                .contains("needs a graphical display", "DISPLAY", "quire run");
        assertThat(DesktopCommand.missingDisplay(java.util.Map.of("DISPLAY", ":0"), "Linux", null)).isEmpty();
        assertThat(DesktopCommand.missingDisplay(java.util.Map.of("WAYLAND_DISPLAY", "wayland-0"), "Linux", null))
                .isEmpty();
        assertThat(DesktopCommand.missingDisplay(java.util.Map.of(), "Linux", "Monocle")).isEmpty();
        assertThat(DesktopCommand.missingDisplay(java.util.Map.of(), "Windows 11", null)).isEmpty();
    }

    @Test
    void desktop_onAMissingNotebookSaysWhichFile(@TempDir Path dir) {
        Result result = execute("desktop", dir.resolve("missing.ipynb").toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains("no such notebook").contains("missing.ipynb");
    }

    @Test
    void runHelp_documentsEveryPapermillOption() {
        Result result = execute("run", "--help");
        assertThat(result.exit()).isZero();
        assertThat(result.out()).contains("-p, --parameters", "-r, --parameters-raw", "-f, --parameters-file",
                "-y, --parameters-yaml", "-k, --kernel", "--cwd", "--timeout", "--log-output", "--[no-]progress-bar",
                "Exit codes");
    }

    @Test
    void run_withUnknownOptionIsAUsageError() {
        Result result = execute("run", "--no-such-option", "x.ipynb");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("--no-such-option");
    }

    @Test
    void run_onAFileThatIsNotANotebookSaysSoWithoutAStackTrace(@TempDir Path dir) throws Exception {
        Path input = Files.writeString(dir.resolve("bad.ipynb"), "{\"cells\": [}");
        Result result = execute("run", input.toString(), dir.resolve("out.ipynb").toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains("is not a notebook Quire can read", "not valid JSON", "line 1")
                .doesNotContain("Exception", "\tat ");
        assertThat(dir.resolve("out.ipynb")).doesNotExist();
    }

    @Test
    void run_onAMissingFileSaysWhichFile(@TempDir Path dir) {
        Result result = execute("run", dir.resolve("missing.ipynb").toString(), dir.resolve("out.ipynb").toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains("missing.ipynb").contains("no such file");
    }

    @Test
    void run_refusesAnOutputFolderThatDoesNotExist(@TempDir Path dir) throws Exception {
        Path input = Files.writeString(dir.resolve("in.ipynb"),
                "{\"cells\": [], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}");
        Result result = execute("run", input.toString(), dir.resolve("nope/out.ipynb").toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains("does not exist");
    }

    @Test
    void run_withoutKernelNameAndWithParametersExplainsHowToChooseOne(@TempDir Path dir) throws Exception {
        Path input = Files.writeString(dir.resolve("in.ipynb"),
                "{\"cells\": [], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}");
        Result result = execute("run", input.toString(), dir.resolve("out.ipynb").toString(), "-p", "a", "1");
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains("No kernel name").contains("-k");
    }

    @Test
    void run_prepareOnlyInjectsParametersWithoutAKernel(@TempDir Path dir) throws Exception {
        Path input = Files.writeString(dir.resolve("in.ipynb"), """
                {"cells": [{"cell_type": "code", "execution_count": null, "id": "p", "metadata": {"tags": ["parameters"]},
                  "outputs": [], "source": "a = 0"}],
                 "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
                 "nbformat": 4, "nbformat_minor": 5}""");
        Path output = dir.resolve("out.ipynb");
        Result result = execute("run", input.toString(), output.toString(), "--prepare-only",
                "-p", "a", "1.5", "-r", "b", "2", "-y", "c: [1, yes]");
        assertThat(result.exit()).as(result.err()).isZero();
        String written = Files.readString(output);
        assertThat(written).contains("injected-parameters")
                .contains("# Parameters\\n", "c = [1, True]\\n", "a = 1.5\\n", "b = \\\"2\\\"\\n");
    }
}
