package io.quire.server.collab;

import static io.quire.server.collab.Nodes.FILE;
import static io.quire.server.collab.Nodes.code;
import static io.quire.server.collab.Nodes.execute;
import static io.quire.server.collab.Nodes.notebook;
import static io.quire.server.collab.Nodes.stdout;
import static org.assertj.core.api.Assertions.assertThat;

import io.quire.collab.DeltaLog;
import io.quire.collab.DeltaStores;
import io.quire.collab.ExecuteTarget;
import io.quire.collab.KernelLeases;
import io.quire.collab.spi.DeltaStore;
import io.quire.kernel.KernelSpecRegistry;
import io.quire.kernel.local.LocalProcessProvisioner;
import io.quire.notebook.ErrorOutput;
import io.quire.notebook.ExecuteResult;
import io.quire.notebook.Notebook;
import io.quire.notebook.Output;
import io.quire.testing.Await;
import io.quire.testing.Engines;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** End to end on a real ipykernel: nobody listens, and the outputs still end up in the stored log. */
class SharedExecutionIpykernelTest {

    @Test
    void executeDelta_withNoListener_persistsTheOutputsIntoTheStoredDocument() {
        Engines.requireIpykernel();
        DeltaStore store = DeltaStores.inMemory();
        KernelLeases leases = KernelLeases.inMemory(store, Clock.systemUTC());
        Notebook initial = notebook("a", "import sys\nx = 6 * 7\nprint('hello', x)\nsys.stdout.flush()\nx",
                "b", "raise ValueError('bad')", "c", "print('never')");
        DeltaLog log = DeltaLog.open(FILE, store, initial, DeltaLog.Config.defaults());
        try (Nodes.Node node = Nodes.node(LocalProcessProvisioner.create(), KernelSpecRegistry.create(), "python3",
                "node-a", leases)) {
            node.executions().open(log, FileContext.none());

            long seq = execute(log, new ExecuteTarget.All());

            Await.until(Duration.ofSeconds(120), "the request done", () -> leases.read(FILE).map(state ->
                    state.progress().doneSeq() == seq).orElse(false));
        }
        Notebook reloaded = DeltaLog.open(FILE, store, Notebook.empty(), DeltaLog.Config.defaults()).document();
        List<Output> a = code(reloaded, "a").outputs();
        assertThat(stdout(a)).isEqualTo("hello 42\n");
        assertThat(a.getLast()).isInstanceOfSatisfying(ExecuteResult.class, result ->
                assertThat(result.toJson().toString()).contains("42"));
        assertThat(code(reloaded, "a").executionCount()).contains(1);
        assertThat(code(reloaded, "b").outputs()).singleElement().isInstanceOfSatisfying(ErrorOutput.class, error ->
                assertThat(error.ename()).isEqualTo("ValueError"));
        assertThat(code(reloaded, "c").outputs()).isEmpty();
        assertThat(code(reloaded, "c").executionCount()).isEmpty();
    }
}
