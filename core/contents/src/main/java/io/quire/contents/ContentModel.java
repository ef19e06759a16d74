package io.quire.contents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A file, notebook or directory as the contents service describes it: Jupyter Server's contents model, field for
 * field.
 *
 * <p>{@code content} and {@code format} are both present or both empty (empty when content was not requested), and
 * so are {@code hash} and {@code hashAlgorithm}. The content is a JSON object for a notebook (format
 * {@code json}), a string for a file (format {@code text} or {@code base64}), and an array of child models without
 * content for a directory (format {@code json}). JSON trees are copied on construction; treat the tree returned by
 * {@link #content()} as read-only.
 *
 * @param name          the last segment of the path ({@code ""} for the root)
 * @param path          the API path ({@code ""} for the root, no leading slash)
 * @param type          directory, file or notebook
 * @param writable      whether the entry may be written by the server
 * @param created       when the entry was created (best effort; some filesystems report the last status change)
 * @param lastModified  when the entry was last modified
 * @param size          the size in bytes of a file or notebook; empty for directories
 * @param mimetype      a file's MIME type (guessed from the name; with content, {@code text/plain} or
 *                      {@code application/octet-stream} when the name says nothing); empty for notebooks and
 *                      directories
 * @param format        how the content is encoded, when content is present
 * @param content       the content, when requested
 * @param hash          the hex digest of the bytes, when requested
 * @param hashAlgorithm the digest's algorithm ({@code sha256}), when requested
 */
public record ContentModel(
        String name,
        String path,
        ContentType type,
        boolean writable,
        Instant created,
        Instant lastModified,
        Optional<Long> size,
        Optional<String> mimetype,
        Optional<ContentFormat> format,
        Optional<JsonNode> content,
        Optional<String> hash,
        Optional<String> hashAlgorithm) {

    /**
     * Checks that the components are present and consistent with each other and with the type, copies the content
     * tree, and truncates the timestamps to microseconds (the precision of Jupyter's JSON).
     */
    public ContentModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(mimetype, "mimetype");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(hashAlgorithm, "hashAlgorithm");
        created = created.truncatedTo(ChronoUnit.MICROS);
        lastModified = lastModified.truncatedTo(ChronoUnit.MICROS);
        String lastSegment = path.substring(path.lastIndexOf('/') + 1);
        if (!name.equals(lastSegment)) {
            throw new IllegalArgumentException("name '" + name + "' is not the last segment of path '" + path + "'");
        }
        if (content.isPresent() != format.isPresent()) {
            throw new IllegalArgumentException("content and format must both be present or both be empty, for '"
                    + path + "'");
        }
        if (hash.isPresent() != hashAlgorithm.isPresent()) {
            throw new IllegalArgumentException("hash and hash_algorithm must both be present or both be empty, for '"
                    + path + "'");
        }
        if (content.isPresent()) {
            JsonNode node = content.get();
            ContentFormat f = format.get();
            boolean fits = switch (type) {
                case DIRECTORY -> f == ContentFormat.JSON && node.isArray();
                case NOTEBOOK -> f == ContentFormat.JSON && node.isObject();
                case FILE -> f != ContentFormat.JSON && node.isTextual();
            };
            if (!fits) {
                throw new IllegalArgumentException("a " + type + " cannot have " + node.getNodeType()
                        + " content in format " + f + ", for '" + path + "'");
            }
            content = Optional.of(node.deepCopy());
        }
    }

    /**
     * This model without content and format, as directory listings and write operations return it.
     *
     * @return a model with empty {@code content} and {@code format}
     */
    public ContentModel withoutContent() {
        return new ContentModel(name, path, type, writable, created, lastModified, size, mimetype, Optional.empty(),
                Optional.empty(), hash, hashAlgorithm);
    }

    /**
     * For a directory model with content, the children it lists.
     *
     * @return the child models (without content), in listing order
     * @throws IllegalStateException if this is not a directory model with content
     */
    public List<ContentModel> children() {
        if (type != ContentType.DIRECTORY || content.isEmpty()) {
            throw new IllegalStateException("'" + path + "' is not a directory model with content");
        }
        List<ContentModel> children = new ArrayList<>();
        content.get().forEach(child -> children.add(create(child)));
        return List.copyOf(children);
    }

    /**
     * The model as Jupyter Server's REST JSON. Every field is present; absent values are JSON {@code null}, as
     * Jupyter's filesystem contents manager writes them.
     *
     * @return a new JSON object
     */
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode json = f.objectNode();
        json.put("name", name);
        json.put("path", path);
        json.put("last_modified", Timestamps.format(lastModified));
        json.put("created", Timestamps.format(created));
        json.set("content", content.<JsonNode>map(JsonNode::deepCopy).orElse(f.nullNode()));
        json.set("format", format.<JsonNode>map(v -> f.textNode(v.wireName())).orElse(f.nullNode()));
        json.set("mimetype", mimetype.<JsonNode>map(f::textNode).orElse(f.nullNode()));
        json.set("size", size.<JsonNode>map(f::numberNode).orElse(f.nullNode()));
        json.put("writable", writable);
        json.set("hash", hash.<JsonNode>map(f::textNode).orElse(f.nullNode()));
        json.set("hash_algorithm", hashAlgorithm.<JsonNode>map(f::textNode).orElse(f.nullNode()));
        json.put("type", type.wireName());
        return json;
    }

    /**
     * Reads a model from Jupyter's REST JSON (the inverse of {@link #toJson()}); missing optional fields count as
     * null.
     *
     * @param json a contents model object
     * @return the model
     * @throws ContentsBadRequestException if a required field is missing or malformed
     */
    public static ContentModel create(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new ContentsBadRequestException("", "a contents model must be a JSON object, got " + json);
        }
        String path = requiredText(json, "path");
        try {
            return new ContentModel(
                    requiredText(json, "name"),
                    path,
                    ContentType.fromWireName(requiredText(json, "type")),
                    json.path("writable").asBoolean(false),
                    Timestamps.parse("created", requiredText(json, "created")),
                    Timestamps.parse("last_modified", requiredText(json, "last_modified")),
                    present(json, "size").map(JsonNode::asLong),
                    present(json, "mimetype").map(JsonNode::asText),
                    present(json, "format").map(n -> ContentFormat.fromWireName(n.asText())),
                    present(json, "content"),
                    present(json, "hash").map(JsonNode::asText),
                    present(json, "hash_algorithm").map(JsonNode::asText));
        } catch (IllegalArgumentException e) {
            throw new ContentsBadRequestException(path, "malformed contents model: " + e.getMessage(), e);
        }
    }

    private static String requiredText(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || !node.isTextual()) {
            throw new ContentsBadRequestException("", "a contents model needs a string field '" + field + "'");
        }
        return node.asText();
    }

    private static Optional<JsonNode> present(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node);
    }

    /**
     * Builds the content of a directory model from its children, for backends assembling a listing.
     *
     * @param children the child models; their content is dropped
     * @return a new array of the children's JSON
     */
    public static ArrayNode listing(List<ContentModel> children) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        children.forEach(child -> array.add(child.withoutContent().toJson()));
        return array;
    }
}
