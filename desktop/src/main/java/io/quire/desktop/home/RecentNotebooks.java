package io.quire.desktop.home;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The recently opened notebooks, newest first, at most {@link #LIMIT}, kept in {@code recent.json} of the config
 * folder (written to a temporary file, then moved). An unreadable file counts as empty (it is only a convenience)
 * and is replaced by the next write.
 */
public final class RecentNotebooks {
    /** How many notebooks are remembered. */
    public static final int LIMIT = 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(RecentNotebooks.class.getName());

    private final Path file;

    /**
     * The list in a config folder.
     *
     * @param config the config folder
     */
    public RecentNotebooks(ConfigDir config) {
        this.file = Objects.requireNonNull(config, "config").path().resolve("recent.json");
    }

    /**
     * Reads the list.
     *
     * @return newest first
     */
    public List<RecentNotebook> read() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            JsonNode json = JSON.readTree(file.toFile());
            List<RecentNotebook> entries = new ArrayList<>();
            for (JsonNode entry : json.path("notebooks")) {
                String path = entry.path("path").asText("");
                if (path.isBlank()) {
                    continue;
                }
                String server = entry.path("server").asText("");
                entries.add(new RecentNotebook(server.isEmpty() ? Optional.empty() : Optional.of(server), path,
                        Instant.parse(entry.path("opened").asText(Instant.EPOCH.toString()))));
            }
            return List.copyOf(entries);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring unreadable " + file + ": " + e.getMessage());
            return List.of();
        }
    }

    /**
     * Puts a notebook first (removing its older entry) and writes the list.
     *
     * @param notebook the notebook just opened
     * @return the new list, newest first
     * @throws UncheckedIOException when the file cannot be written
     */
    public List<RecentNotebook> add(RecentNotebook notebook) {
        List<RecentNotebook> entries = new ArrayList<>(read());
        entries.removeIf(notebook::sameNotebook);
        entries.addFirst(notebook);
        while (entries.size() > LIMIT) {
            entries.removeLast();
        }
        write(entries);
        return List.copyOf(entries);
    }

    /**
     * Forgets a notebook (one that no longer exists).
     *
     * @param notebook the entry
     * @return the new list
     */
    public List<RecentNotebook> remove(RecentNotebook notebook) {
        List<RecentNotebook> entries = new ArrayList<>(read());
        entries.removeIf(notebook::sameNotebook);
        write(entries);
        return List.copyOf(entries);
    }

    private void write(List<RecentNotebook> entries) {
        ObjectNode json = JSON.createObjectNode();
        ArrayNode array = json.putArray("notebooks");
        for (RecentNotebook entry : entries) {
            ObjectNode item = array.addObject();
            entry.server().ifPresent(server -> item.put("server", server));
            item.put("path", entry.path());
            item.put("opened", entry.opened().toString());
        }
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling("recent.json.tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), json);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
