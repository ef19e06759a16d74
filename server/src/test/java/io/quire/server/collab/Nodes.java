package io.quire.server.collab;

import io.quire.collab.Ack;
import io.quire.collab.Delta;
import io.quire.collab.DeltaHeader;
import io.quire.collab.DeltaLog;
import io.quire.collab.ExecuteTarget;
import io.quire.collab.KernelLeases;
import io.quire.kernel.FakeKernelProvisioner;
import io.quire.kernel.KernelClientOptions;
import io.quire.kernel.KernelLauncher;
import io.quire.kernel.KernelSpecRegistry;
import io.quire.kernel.spi.KernelProvisioner;
import io.quire.kernels.KernelManager;
import io.quire.notebook.Cell;
import io.quire.notebook.CodeCell;
import io.quire.notebook.MarkdownCell;
import io.quire.notebook.Notebook;
import io.quire.notebook.Output;
import io.quire.notebook.StreamOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Fixtures of the shared execution tests: nodes over fake kernels, notebooks, deltas. */
final class Nodes {
    static final UUID FILE = UUID.fromString("00000000-0000-4000-8000-0000000000e1");
    static final Duration TTL = Duration.ofSeconds(15);

    private Nodes() {
    }

    /** One server node: a kernel manager over a provisioner and the node's shared executions. */
    record Node(KernelManager kernels, SharedExecutions executions) implements AutoCloseable {
        @Override
        public void close() {
            executions.close();
            kernels.shutdownAll();
        }
    }

    static Node fakeNode(Path dir, String nodeId, KernelLeases leases) {
        try {
            KernelSpecRegistry specs = FakeKernelProvisioner.registry(Files.createDirectories(dir.resolve(nodeId)));
            return node(FakeKernelProvisioner.create(), specs, FakeKernelProvisioner.KERNEL_NAME, nodeId, leases);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Node node(KernelProvisioner provisioner, KernelSpecRegistry specs, String defaultKernel, String nodeId,
            KernelLeases leases) {
        KernelLauncher launcher = KernelLauncher.create(provisioner, specs, KernelClientOptions.defaults());
        KernelManager kernels = KernelManager.builder(launcher).defaultKernelName(defaultKernel)
                .startTimeout(Duration.ofSeconds(60)).build();
        SharedExecutions executions = SharedExecutions.builder(kernels, leases).nodeId(nodeId).leaseTtl(TTL)
                .manualTicks().flushInterval(Duration.ofMillis(20)).build();
        return new Node(kernels, executions);
    }

    /** Code cells with ids and sources given as id, source, id, source...; an id starting with md is markdown. */
    static Notebook notebook(String... idsAndSources) {
        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < idsAndSources.length; i += 2) {
            String id = idsAndSources[i];
            cells.add(id.startsWith("md") ? MarkdownCell.of(Optional.of(id), idsAndSources[i + 1])
                    : CodeCell.of(Optional.of(id), idsAndSources[i + 1]));
        }
        return Notebook.empty().withCells(cells);
    }

    static long execute(DeltaLog log, ExecuteTarget target) {
        Ack ack = log.submit(new Delta.ExecuteRequest(header(log, "ann"), target));
        return ack.seq();
    }

    static long execute(DeltaLog log, String... cellIds) {
        return execute(log, new ExecuteTarget.Cells(List.of(cellIds)));
    }

    static DeltaHeader header(DeltaLog log, String author) {
        return new DeltaHeader(UUID.randomUUID(), log.fileId(), author, log.head());
    }

    static CodeCell code(Notebook notebook, String cellId) {
        return (CodeCell) notebook.cell(notebook.indexOf(cellId).orElseThrow());
    }

    static String stdout(List<Output> outputs) {
        StringBuilder text = new StringBuilder();
        for (Output output : outputs) {
            if (output instanceof StreamOutput stream && stream.name().equals("stdout")) {
                text.append(stream.text().text());
            }
        }
        return text.toString();
    }

    static Path dir(Path base, String name) {
        try {
            return Files.createDirectories(base.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
