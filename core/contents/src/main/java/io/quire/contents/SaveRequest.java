package io.quire.contents;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.notebook.Notebook;
import io.quire.notebook.NotebookFormatException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;

/**
 * What to store at a path with {@link ContentsManager#save(String, SaveRequest)}: a notebook, a text file, a binary
 * file given as base64, or a directory (the body of {@code PUT /api/contents/{path}}).
 */
public sealed interface SaveRequest {

    /**
     * The type of entry this request stores.
     *
     * @return the content type
     */
    ContentType type();

    /**
     * A notebook given as its JSON tree. The tree is checked when it is saved, not when the request is made. The
     * record holds the tree it is given, not a copy (a megabyte notebook's copy is a measurable part of a save):
     * whoever makes one must not change the tree afterwards; {@link #notebook(JsonNode)} copies it.
     *
     * @param json the notebook JSON object (nbformat 4, or 3 which is upgraded)
     */
    record NotebookContent(JsonNode json) implements SaveRequest {
        /** Checks the tree is present. */
        public NotebookContent {
            Objects.requireNonNull(json, "json");
        }

        @Override
        public ContentType type() {
            return ContentType.NOTEBOOK;
        }

        /**
         * Parses the JSON as a notebook, for a backend about to store it.
         *
         * @param path the API path being saved, for the error message
         * @return the notebook
         * @throws ContentsBadRequestException if the JSON is not a notebook; the message names the JSON path of the
         *                                     problem, such as {@code $.cells[0].source}
         */
        public Notebook parse(String path) {
            try {
                return Notebook.fromJson(json);
            } catch (NotebookFormatException e) {
                throw new ContentsBadRequestException(path, "invalid notebook content for '" + path + "': "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * A file given as text, stored UTF-8 encoded exactly as given (no newline translation).
     *
     * @param text the file content
     */
    record TextContent(String text) implements SaveRequest {
        /** Checks the text is present. */
        public TextContent {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public ContentType type() {
            return ContentType.FILE;
        }

        /**
         * The UTF-8 bytes of the text.
         *
         * @param path the API path being saved, for the error message
         * @return the bytes
         * @throws ContentsBadRequestException if the text contains unpaired surrogates and cannot be encoded
         */
        public byte[] bytes(String path) {
            try {
                ByteBuffer buffer = StandardCharsets.UTF_8.newEncoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .encode(CharBuffer.wrap(text));
                return Arrays.copyOfRange(buffer.array(), buffer.arrayOffset() + buffer.position(),
                        buffer.arrayOffset() + buffer.limit());
            } catch (CharacterCodingException e) {
                throw new ContentsBadRequestException(path, "text for '" + path
                        + "' cannot be encoded as UTF-8 (unpaired surrogate)", e);
            }
        }
    }

    /**
     * A file given as base64. Line breaks and other characters outside the base64 alphabet are ignored, as Python's
     * {@code base64.decodebytes} does.
     *
     * @param base64 the encoded file content
     */
    record Base64Content(String base64) implements SaveRequest {
        /** Checks the text is present. */
        public Base64Content {
            Objects.requireNonNull(base64, "base64");
        }

        @Override
        public ContentType type() {
            return ContentType.FILE;
        }

        /**
         * The decoded bytes.
         *
         * @param path the API path being saved, for the error message
         * @return the bytes
         * @throws ContentsBadRequestException if the content is not valid base64
         */
        public byte[] bytes(String path) {
            long alphabet = base64.chars().filter(c -> c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
                    || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=').count();
            if (alphabet % 4 != 0) {
                throw new ContentsBadRequestException(path, "content for '" + path
                        + "' is not valid base64: incorrect padding");
            }
            try {
                return Base64.getMimeDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw new ContentsBadRequestException(path, "content for '" + path + "' is not valid base64: "
                        + e.getMessage(), e);
            }
        }
    }

    /** A directory: created if missing, left as it is if it exists. */
    record DirectoryContent() implements SaveRequest {
        @Override
        public ContentType type() {
            return ContentType.DIRECTORY;
        }
    }

    /**
     * A notebook given as its JSON tree.
     *
     * @param json the notebook JSON object
     * @return the request
     */
    static SaveRequest notebook(JsonNode json) {
        return new NotebookContent(Objects.requireNonNull(json, "json").deepCopy());
    }

    /**
     * A notebook given as a model.
     *
     * @param notebook the notebook
     * @return the request
     */
    static SaveRequest notebook(Notebook notebook) {
        return new NotebookContent(notebook.toJson());
    }

    /**
     * A text file.
     *
     * @param text the content
     * @return the request
     */
    static SaveRequest text(String text) {
        return new TextContent(text);
    }

    /**
     * A file given as base64.
     *
     * @param base64 the encoded content
     * @return the request
     */
    static SaveRequest base64(String base64) {
        return new Base64Content(base64);
    }

    /**
     * A binary file given as bytes (encoded to base64 here).
     *
     * @param bytes the content
     * @return the request
     */
    static SaveRequest bytes(byte[] bytes) {
        return new Base64Content(Base64.getEncoder().encodeToString(bytes));
    }

    /**
     * A directory.
     *
     * @return the request
     */
    static SaveRequest directory() {
        return new DirectoryContent();
    }

    /**
     * Reads the body of {@code PUT /api/contents/{path}}: {@code {"type": ..., "format": ..., "content": ...}}, with
     * Jupyter's rules: the type is required (an unknown type is taken as {@code file}, as Jupyter's handler does);
     * content is required except for directories; a file's format must be {@code text} or {@code base64}. A notebook
     * request holds the body's {@code content} tree itself: the body must not be changed afterwards.
     *
     * @param path the API path being saved, for error messages
     * @param body the JSON body
     * @return the request
     * @throws ContentsBadRequestException if the body does not describe something that can be saved
     */
    static SaveRequest fromJson(String path, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new ContentsBadRequestException(path, "the body for '" + path + "' must be a JSON object");
        }
        JsonNode type = body.get("type");
        if (type == null || type.isNull() || type.asText().isEmpty()) {
            throw new ContentsBadRequestException(path, "no file type provided for '" + path + "'");
        }
        JsonNode content = body.get("content");
        JsonNode format = body.get("format");
        String typeName = type.asText();
        if (typeName.equals("directory")) {
            return directory();
        }
        if (content == null) {
            throw new ContentsBadRequestException(path, "no file content provided for '" + path + "'");
        }
        if (typeName.equals("notebook")) {
            if (!content.isObject()) {
                throw new ContentsBadRequestException(path, "notebook content for '" + path
                        + "' must be a JSON object, got " + content.getNodeType().name().toLowerCase(Locale.ROOT));
            }
            return new NotebookContent(content); // the body is the caller's to hand over (see fromJson)
        }
        String formatName = format == null || format.isNull() ? "" : format.asText();
        if (!formatName.equals("text") && !formatName.equals("base64")) {
            throw new ContentsBadRequestException(path, "must specify format of file contents as 'text' or 'base64'"
                    + " for '" + path + "', got '" + formatName + "'");
        }
        if (!content.isTextual()) {
            throw new ContentsBadRequestException(path, "file content for '" + path + "' must be a string");
        }
        return formatName.equals("text") ? text(content.asText()) : base64(content.asText());
    }
}
