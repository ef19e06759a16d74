package io.quire.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionInfoTest {

    private static final String JUPYTER_FILE = """
            {
              "shell_port": 53794,
              "iopub_port": 53795,
              "stdin_port": 53796,
              "control_port": 53797,
              "hb_port": 53798,
              "ip": "127.0.0.1",
              "key": "a0436f6c-1916-498b-8eb9-e81ab9368e84",
              "transport": "tcp",
              "signature_scheme": "hmac-sha256",
              "kernel_name": "python3",
              "extra_field": true
            }
            """;

    @Test
    void parse_readsStandardJupyterConnectionFile() {
        ConnectionInfo info = ConnectionInfo.parse(JUPYTER_FILE);

        assertThat(info).isEqualTo(new ConnectionInfo("tcp", "127.0.0.1", 53794, 53795, 53796, 53797, 53798,
                "a0436f6c-1916-498b-8eb9-e81ab9368e84", "hmac-sha256", "python3"));
        assertThat(info.endpoint(Channel.HEARTBEAT)).isEqualTo("tcp://127.0.0.1:53798");
    }

    @Test
    void writeThenRead_roundTripsWithOwnerOnlyPermissions(@TempDir Path dir) throws Exception {
        ConnectionInfo info = ConnectionInfo.tcp("127.0.0.1", new int[] {1, 2, 3, 4, 5}, "key").withKernelName("k");
        Path file = dir.resolve("kernel-1.json");

        info.write(file);

        assertThat(ConnectionInfo.read(file)).isEqualTo(info);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void parse_rejectsMissingPortNamingTheField() {
        assertThatThrownBy(() -> ConnectionInfo.parse(JUPYTER_FILE.replace("\"hb_port\": 53798,", "")))
                .isInstanceOf(ConnectionFileException.class)
                .hasMessageContaining("hb_port");
    }

    @Test
    void parse_rejectsOutOfRangePortAndBadJson() {
        assertThatThrownBy(() -> ConnectionInfo.parse(JUPYTER_FILE.replace("53794", "70000")))
                .isInstanceOf(ConnectionFileException.class)
                .hasMessageContaining("shell_port")
                .hasMessageContaining("70000");
        assertThatThrownBy(() -> ConnectionInfo.parse("{nope"))
                .isInstanceOf(ConnectionFileException.class);
    }

    @Test
    void read_reportsMissingFile(@TempDir Path dir) {
        assertThatThrownBy(() -> ConnectionInfo.read(dir.resolve("absent.json")))
                .isInstanceOf(ConnectionFileException.class)
                .hasMessageContaining("absent.json");
    }

    @Test
    void toString_hidesTheKey() {
        assertThat(ConnectionInfo.parse(JUPYTER_FILE).toString())
                .doesNotContain("a0436f6c")
                .contains("<hidden>");
    }
}
