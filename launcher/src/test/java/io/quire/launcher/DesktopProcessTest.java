package io.quire.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quire desktop} in real JVMs, headless (JavaFX's Monocle platform): the first screen of a notebook, and the
 * single-instance handoff between two launches.
 */
class DesktopProcessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String NOTEBOOK = """
            {"cells": [{"cell_type": "code", "id": "c1", "metadata": {}, "source": "print(1)", "outputs": [],
              "execution_count": null}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            """;

    @TempDir
    Path temp;

    private final List<Launch> launches = new ArrayList<>();

    /** A started {@code quire} JVM whose standard error is collected line by line. */
    private static final class Launch {
        private final Process process;
        private final StringBuffer err = new StringBuffer();
        private final Thread reader;

        Launch(Process process) {
            this.process = process;
            reader = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        err.append(line).append('\n');
                    }
                } catch (IOException e) {
                    err.append("(reading failed: ").append(e.getMessage()).append(")\n");
                }
            });
        }

        /** Waits until the output contains {@code text}; fails with the output so far otherwise. */
        void awaitOutput(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!err.toString().contains(text)) {
                if (System.nanoTime() > deadline || !process.isAlive() && !err.toString().contains(text)) {
                    if (!process.isAlive()) {
                        reader.join(TIMEOUT.toMillis()); // the reader ends at the output's end: all of it is read
                    }
                    assertThat(err.toString()).as("output of a quire process (alive: %s)", process.isAlive())
                            .contains(text);
                    return;
                }
                Thread.sleep(50);
            }
        }

        int awaitExit() throws InterruptedException {
            assertThat(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("exited; output:%n%s", err).isTrue();
            reader.join(TIMEOUT.toMillis()); // everything the process wrote has been read
            return process.exitValue();
        }

        String output() {
            return err.toString();
        }
    }

    private Launch quire(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dglass.platform=Monocle", "-Dmonocle.platform=Headless", "-Dprism.order=sw", "-Dprism.text=t2k",
                "-Djava.awt.headless=true", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                QuireCommand.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("DISPLAY");
        builder.environment().remove("WAYLAND_DISPLAY");
        builder.environment().put("XDG_RUNTIME_DIR", runtimeDir().toString());
        builder.environment().put("HOME", temp.toString());
        Launch launch = new Launch(builder.start());
        launches.add(launch);
        return launch;
    }

    private Path runtimeDir() throws IOException {
        Path dir = temp.resolve("run");
        if (!Files.isDirectory(dir)) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return dir;
    }

    private Path notebook(String name) throws IOException {
        return Files.writeString(temp.resolve(name), NOTEBOOK);
    }

    @AfterEach
    void stopLaunches() throws InterruptedException {
        for (Launch launch : launches) {
            launch.process.destroy();
            if (!launch.process.waitFor(20, TimeUnit.SECONDS)) {
                launch.process.destroyForcibly();
            }
        }
    }

    @Test
    void desktop_exitAfterFirstScreen_printsTheStartUpTimeAndExitsZero() throws Exception {
        Launch launch = quire("desktop", "--exit-after-first-screen", notebook("a.ipynb").toString());
        assertThat(launch.awaitExit()).as(launch.output()).isZero();
        assertThat(launch.output()).containsPattern("opened a\\.ipynb \\(1 cells\\): first screen \\d+ ms after open,"
                + " \\d+ ms after launch");
    }

    @Test
    void desktop_openAfterStart_opensOnceStartedAndTimesThatOpen() throws Exception {
        Launch launch = quire("desktop", "--exit-after-first-screen", "--open-after-start",
                notebook("a.ipynb").toString());
        assertThat(launch.awaitExit()).as(launch.output()).isZero();
        java.util.regex.Matcher times = java.util.regex.Pattern.compile(
                "opened a\\.ipynb \\(1 cells\\): first screen (\\d+) ms after open, (\\d+) ms after launch")
                .matcher(launch.output());
        assertThat(times.find()).as(launch.output()).isTrue();
        // opened a second or more after the start (the pause), so the open is not timed from the launch
        assertThat(Long.parseLong(times.group(2)) - Long.parseLong(times.group(1))).as(launch.output())
                .isGreaterThanOrEqualTo(1000);
    }

    @Test
    void aSecondLaunch_handsItsNotebookToTheRunningAppAndExits() throws Exception {
        Path a = notebook("a.ipynb");
        Path b = notebook("b.ipynb");
        Launch first = quire("desktop", a.toString());
        first.awaitOutput("opened a.ipynb (1 cells)");

        Launch second = quire("desktop", b.toString());
        assertThat(second.awaitExit()).as(second.output()).isZero();
        assertThat(second.output()).contains("opened " + b.toRealPath() + " in the running Quire");
        first.awaitOutput("opened b.ipynb (1 cells)");

        Launch plain = quire();
        assertThat(plain.awaitExit()).as(plain.output()).isZero();
        assertThat(plain.output()).contains("brought forward the running Quire");
        assertThat(first.process.isAlive()).isTrue();
    }

    @Test
    void afterTheRunningAppIsKilled_theNextLaunchStartsItsOwnApp() throws Exception {
        Launch first = quire("desktop", notebook("a.ipynb").toString());
        first.awaitOutput("opened a.ipynb (1 cells)");
        first.process.destroyForcibly().waitFor();
        assertThat(runtimeDir().resolve("quire/desktop.instance")).as("left behind by the killed app").exists();

        Launch next = quire("desktop", notebook("b.ipynb").toString());
        next.awaitOutput("opened b.ipynb (1 cells)");
        assertThat(next.process.isAlive()).isTrue();
    }
}
