package io.quire.store;

import io.quire.contents.spi.FileEncodings;
import java.util.Objects;

/** Bytes and their SHA-256 (hex), the key under which they are stored once per organisation. */
record Blob(String hash, byte[] bytes) {

    Blob {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(bytes, "bytes");
    }

    static Blob of(byte[] bytes) {
        return new Blob(FileEncodings.sha256Hex(bytes), bytes);
    }
}
