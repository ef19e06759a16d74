package io.quire.contents.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.quire.contents.ContentFormat;
import io.quire.contents.ContentsBadRequestException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * How file bytes appear in contents models, the same for every backend: text when the bytes are UTF-8, else base64
 * wrapped as Python's {@code base64.encodebytes} wraps it, and the hex SHA-256 that Jupyter reports as a file's hash.
 */
public final class FileEncodings {

    private FileEncodings() {
    }

    /**
     * Decodes bytes as strict UTF-8.
     *
     * @param bytes the file content
     * @return the text, or empty if the bytes are not valid UTF-8
     */
    public static Optional<String> decodeUtf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /**
     * Encodes bytes as Python's {@code base64.encodebytes}, which Jupyter uses: lines of 76 characters, each ending in
     * a newline.
     *
     * @param bytes the file content
     * @return the base64 text, {@code ""} for no bytes
     */
    public static String encodeBase64(byte[] bytes) {
        if (bytes.length == 0) {
            return "";
        }
        return Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(bytes) + "\n";
    }

    /**
     * The SHA-256 of bytes in lowercase hex.
     *
     * @param bytes the content
     * @return 64 hex digits
     */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * A file's content as the contents API returns it.
     *
     * @param format   {@code text} when the bytes are UTF-8 (and text was not refused), else {@code base64}
     * @param content  the text, or the bytes in Jupyter's base64 wrapping
     * @param mimetype the type guessed from the name, else {@code text/plain} or {@code application/octet-stream}
     */
    public record FileContent(ContentFormat format, JsonNode content, String mimetype) {
    }

    /**
     * Encodes a file's bytes for the contents API, as every backend must: text when asked for (or unspecified) and
     * the bytes are UTF-8, base64 otherwise.
     *
     * @param api       the file's API path (for the name and messages)
     * @param bytes     the file's bytes
     * @param requested the format the caller asked for, if any
     * @return the encoded content
     * @throws ContentsBadRequestException when text was asked for and the bytes are not UTF-8
     */
    public static FileContent fileContent(String api, byte[] bytes, Optional<ContentFormat> requested) {
        Optional<String> text = requested.equals(Optional.of(ContentFormat.BASE64)) ? Optional.empty()
                : decodeUtf8(bytes);
        if (text.isEmpty() && requested.equals(Optional.of(ContentFormat.TEXT))) {
            throw new ContentsBadRequestException(api, "'" + api + "' is not UTF-8 encoded; ask for base64");
        }
        ContentFormat format = text.isPresent() ? ContentFormat.TEXT : ContentFormat.BASE64;
        JsonNode content = JsonNodeFactory.instance.textNode(text.orElseGet(() -> encodeBase64(bytes)));
        return new FileContent(format, content, mimetype(api, Optional.of(format)).orElseThrow());
    }

    /**
     * The MIME type of a file: guessed from its name, else from the format its content was read in.
     *
     * @param api    the file's API path
     * @param format the format of its content, when it was read
     * @return the type, or empty when neither the name nor a format tells
     */
    public static Optional<String> mimetype(String api, Optional<ContentFormat> format) {
        return MimeTypes.guess(ApiPaths.name(api)).or(() -> format.map(
                f -> f == ContentFormat.TEXT ? "text/plain" : "application/octet-stream"));
    }
}
