package io.quire.server.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.client.QuireClient;
import io.quire.client.Run;
import io.quire.client.RunOptions;
import io.quire.client.RunStatus;
import io.quire.kernel.KernelSpecRegistry;
import io.quire.kernel.local.LocalProcessProvisioner;
import io.quire.testing.Engines;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A v1 run on a real ipykernel, with parameters injected papermill style. */
class V1IpykernelTest {
    @TempDir
    Path dir;

    @Test
    void run_onIpykernel_injectsParameters_andSavesOutputs() {
        Engines.requireIpykernel();
        try (V1TestServer server = V1TestServer.start(dir, LocalProcessProvisioner.create(), KernelSpecRegistry.create(),
                "python3")) {
            String path = server.writeNotebook("params.ipynb", V1TestServer.notebook("python3",
                    V1TestServer.code("x = 1", "parameters"), V1TestServer.code("print(x * 2)")));
            QuireClient quire = server.client();

            Run run = quire.startRun(quire.fileByPath(path).id(), RunOptions.builder().parameter("x", 21).build());
            Run done = quire.awaitRun(run.id(), Duration.ofSeconds(120));

            assertThat(done.status()).as("%s", done).isEqualTo(RunStatus.SUCCEEDED);
            JsonNode saved = server.readNotebook(path);
            assertThat(V1TestServer.stdout(saved)).isEqualTo("42\n");
            assertThat(saved.path("cells").get(1).path("metadata").path("tags").toString())
                    .contains("injected-parameters");
            assertThat(saved.path("metadata").path("papermill").path("parameters").path("x").asInt()).isEqualTo(21);
        }
    }
}
