package io.quire.kernel;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/*
 * Framing and signing of Jupyter wire messages:
 *   [identities...] <IDS|MSG> signature header parent_header metadata content [buffers...]
 * The signature is the lowercase hex HMAC-SHA256 of the four JSON frames, computed on the raw bytes as
 * received (never on re-serialised JSON, which could differ). An empty key disables signing: outgoing
 * signatures are empty and incoming ones are not checked. Instances are immutable and thread-safe; a Mac
 * is cloned from a prototype per operation because Mac itself is not thread-safe.
 */
final class Wire {
    static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    private static final String ALGORITHM = "HmacSHA256";

    /** Outcome of decoding raw frames. */
    sealed interface Decoded {
    }

    /**
     * A message whose signature verified, typed and raw (both share the parsed JSON objects).
     *
     * @param message the typed message, with identities
     * @param raw     the same message as open JSON, header fields all kept
     */
    record Valid(Message message, RawMessage raw) implements Decoded {
    }

    /** Frames that were dropped, with the reason. */
    record Rejected(Reason reason, String detail) implements Decoded {
    }

    /** Why frames were rejected. */
    enum Reason { BAD_SIGNATURE, MALFORMED }

    private final Optional<Mac> prototype;

    /**
     * @param key             the shared key; empty disables signing
     * @param signatureScheme must be {@code hmac-sha256}
     */
    Wire(String key, String signatureScheme) {
        if (!signatureScheme.equalsIgnoreCase("hmac-sha256")) {
            throw new KernelProtocolException("unsupported signature_scheme '" + signatureScheme
                    + "': only hmac-sha256 is supported");
        }
        if (key.isEmpty()) {
            prototype = Optional.empty();
        } else {
            try {
                Mac mac = Mac.getInstance(ALGORITHM);
                mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM));
                prototype = Optional.of(mac);
            } catch (GeneralSecurityException e) {
                throw new KernelProtocolException("HMAC-SHA256 is not available: " + e.getMessage(), e);
            }
        }
    }

    boolean signs() {
        return prototype.isPresent();
    }

    List<byte[]> encode(Message message) {
        byte[] header = Json.bytes(message.header().toJson());
        byte[] parent = Json.bytes(message.parentHeader().map(Header::toJson).orElseGet(Json::object));
        byte[] metadata = Json.bytes(message.metadata());
        byte[] content = Json.bytes(message.content());
        List<byte[]> frames = new ArrayList<>(message.identities().size() + 6 + message.buffers().size());
        frames.addAll(message.identities());
        frames.add(DELIMITER);
        frames.add(signature(header, parent, metadata, content));
        frames.add(header);
        frames.add(parent);
        frames.add(metadata);
        frames.add(content);
        frames.addAll(message.buffers());
        return frames;
    }

    /** Encodes a raw message (no identities: the DEALER socket adds its own). */
    List<byte[]> encode(RawMessage message) {
        byte[] header = Json.bytes(message.header());
        byte[] parent = Json.bytes(message.parentHeader());
        byte[] metadata = Json.bytes(message.metadata());
        byte[] content = Json.bytes(message.content());
        List<byte[]> frames = new ArrayList<>(5 + message.buffers().size());
        frames.add(DELIMITER);
        frames.add(signature(header, parent, metadata, content));
        frames.add(header);
        frames.add(parent);
        frames.add(metadata);
        frames.add(content);
        frames.addAll(message.buffers());
        return frames;
    }

    Decoded decode(List<byte[]> frames) {
        int delimiter = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (Arrays.equals(frames.get(i), DELIMITER)) {
                delimiter = i;
                break;
            }
        }
        if (delimiter < 0) {
            return new Rejected(Reason.MALFORMED, "no <IDS|MSG> delimiter in " + frames.size() + " frames");
        }
        if (frames.size() < delimiter + 6) {
            return new Rejected(Reason.MALFORMED, "only " + (frames.size() - delimiter - 1)
                    + " frames after the delimiter, need 5");
        }
        byte[] signature = frames.get(delimiter + 1);
        byte[] header = frames.get(delimiter + 2);
        byte[] parent = frames.get(delimiter + 3);
        byte[] metadata = frames.get(delimiter + 4);
        byte[] content = frames.get(delimiter + 5);
        if (signs() && !MessageDigest.isEqual(signature(header, parent, metadata, content), signature)) {
            return new Rejected(Reason.BAD_SIGNATURE, "signature does not match");
        }
        try {
            ObjectNode headerJson = Json.parseObject(header);
            ObjectNode parentJson = Json.parseObject(parent);
            Optional<Header> parentHeader = parentJson.isEmpty()
                    ? Optional.empty()
                    : Optional.of(Header.fromJson(parentJson));
            ObjectNode metadataJson = Json.parseObject(metadata);
            ObjectNode contentJson = Json.parseObject(content);
            List<byte[]> buffers = List.copyOf(frames.subList(delimiter + 6, frames.size()));
            return new Valid(new Message(frames.subList(0, delimiter), Header.fromJson(headerJson), parentHeader,
                    metadataJson, contentJson, buffers),
                    new RawMessage(headerJson, parentJson, metadataJson, contentJson, buffers));
        } catch (IOException e) {
            return new Rejected(Reason.MALFORMED, "bad JSON frame: " + e.getMessage());
        }
    }

    byte[] signature(byte[] header, byte[] parent, byte[] metadata, byte[] content) {
        if (prototype.isEmpty()) {
            return new byte[0];
        }
        Mac mac;
        try {
            mac = (Mac) prototype.get().clone();
        } catch (CloneNotSupportedException e) {
            throw new KernelProtocolException("HMAC implementation cannot be cloned", e);
        }
        mac.update(header);
        mac.update(parent);
        mac.update(metadata);
        mac.update(content);
        return HexFormat.of().formatHex(mac.doFinal()).getBytes(StandardCharsets.US_ASCII);
    }
}
