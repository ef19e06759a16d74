package io.quire.server.v1;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs in a concurrent map, listed in the order they were first put. Nothing is ever evicted: fine for a desktop or
 * a small team until the store arrives.
 */
final class InMemoryRunRegistry implements RunRegistry {
    private final Map<String, RunRecord> runs = new ConcurrentHashMap<>();
    private final Map<String, Long> order = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong();

    @Override
    public void put(RunRecord run) {
        order.computeIfAbsent(run.id(), id -> next.getAndIncrement());
        runs.put(run.id(), run);
    }

    @Override
    public Optional<RunRecord> find(String id) {
        return Optional.ofNullable(runs.get(id));
    }

    @Override
    public List<RunRecord> forFile(String tenant, String fileId) {
        return runs.values().stream().filter(run -> run.tenant().equals(tenant) && run.fileId().equals(fileId))
                .sorted(Comparator.comparingLong(run -> order.getOrDefault(run.id(), Long.MAX_VALUE))).toList();
    }
}
