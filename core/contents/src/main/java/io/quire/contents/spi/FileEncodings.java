package io.quire.contents.spi;

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
}
