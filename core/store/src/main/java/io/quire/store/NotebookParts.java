package io.quire.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.contents.spi.FileEncodings;
import io.quire.notebook.Notebook;
import io.quire.notebook.NotebookFormatException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A notebook split for storage: a header (everything but the cells) and, per cell, the cell without its outputs and
 * the outputs, each as canonical JSON bytes addressed by their SHA-256.
 *
 * <p>Design: the notebook's JSON tree ({@link Notebook#toJson()}) is cut at the {@code cells} array and at each
 * cell's {@code outputs}; the pieces are written as compact JSON with sorted keys and exact decimals, so equal
 * pieces give equal bytes and so equal hashes, and a cell that did not change between two saves is not stored
 * again. Assembling parses the pieces with the same settings and hands the tree to {@link Notebook#fromJson}; since
 * the tree is the one the notebook model wrote, the notebook read back writes exactly the bytes the original
 * writes. Outputs are kept apart from the cell because they are what is large (images, long streams) and what
 * changes on a run while the source does not.
 *
 * @param nbformat      the major format version
 * @param nbformatMinor the minor format version
 * @param header        the notebook without {@code cells}
 * @param cells         the cells in order
 * @param size          the size of the notebook as nbformat JSON
 * @param sha256        the SHA-256 of that JSON
 */
record NotebookParts(int nbformat, int nbformatMinor, Blob header, List<Cell> cells, long size, String sha256) {

    /**
     * One cell: a key to match it across versions (its id, else {@code #position}), the cell without outputs, and
     * its outputs when the cell has an {@code outputs} field.
     */
    record Cell(String key, Blob cell, Optional<Blob> outputs) {
    }

    private static final int MAX_KEY_LENGTH = 255;

    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength(Integer.MAX_VALUE)
                            .maxNestingDepth(2_000)
                            .maxNumberLength(10_000)
                            .build())
                    .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                    .build())
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    NotebookParts {
        cells = List.copyOf(cells);
    }

    /** Splits a notebook. */
    static NotebookParts split(Notebook notebook) {
        byte[] file = notebook.toBytes();
        ObjectNode tree = notebook.toJson();
        JsonNode cellsNode = tree.remove("cells");
        List<Cell> cells = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        int position = 0;
        for (JsonNode node : cellsNode) {
            ObjectNode cell = (ObjectNode) node.deepCopy();
            JsonNode outputs = cell.remove("outputs");
            cells.add(new Cell(key(cell, position, keys), Blob.of(write(cell)),
                    Optional.ofNullable(outputs).map(o -> Blob.of(write(o)))));
            position++;
        }
        return new NotebookParts(notebook.nbformat(), notebook.nbformatMinor(), Blob.of(write(tree)), cells,
                file.length, FileEncodings.sha256Hex(file));
    }

    /** Every blob of the notebook, each once. */
    List<Blob> blobs() {
        Map<String, Blob> unique = new LinkedHashMap<>();
        unique.put(header.hash(), header);
        for (Cell cell : cells) {
            unique.putIfAbsent(cell.cell().hash(), cell.cell());
            cell.outputs().ifPresent(o -> unique.putIfAbsent(o.hash(), o));
        }
        return List.copyOf(unique.values());
    }

    /**
     * Assembles a notebook from stored pieces.
     *
     * @param header  the header bytes
     * @param cells   per cell, the cell bytes and the outputs bytes if the cell has outputs
     * @throws IllegalStateException if the pieces do not make a notebook (stored data damaged)
     */
    static Notebook assemble(byte[] header, List<Map.Entry<byte[], Optional<byte[]>>> cells) {
        ObjectNode tree = (ObjectNode) read(header);
        ArrayNode array = tree.putArray("cells");
        for (Map.Entry<byte[], Optional<byte[]>> cell : cells) {
            ObjectNode node = (ObjectNode) read(cell.getKey());
            cell.getValue().ifPresent(outputs -> node.set("outputs", read(outputs)));
            array.add(node);
        }
        try {
            return Notebook.fromJson(tree);
        } catch (NotebookFormatException e) {
            throw new IllegalStateException("stored notebook pieces do not make a notebook: " + e.getMessage(), e);
        }
    }

    private static String key(ObjectNode cell, int position, Set<String> taken) {
        JsonNode id = cell.get("id");
        String candidate = id != null && id.isTextual() && !id.textValue().isEmpty()
                && id.textValue().length() <= MAX_KEY_LENGTH ? id.textValue() : "#" + position;
        String key = candidate;
        for (int n = 1; !taken.add(key); n++) {
            // a duplicate id (invalid, but read leniently): the later cell is told apart by its position
            key = "#" + position + (n > 1 ? "." + n : "");
        }
        return key;
    }

    static byte[] write(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a notebook's JSON tree did not serialise: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode read(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("a stored notebook piece is not JSON: " + e.getMessage(), e);
        }
    }
}
