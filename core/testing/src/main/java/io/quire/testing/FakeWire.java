package io.quire.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/*
 * The fake kernel's own, deliberately small implementation of the Jupyter wire format. It is kept
 * independent of quire-kernel so that the kernel module's tests exercise the client against a second,
 * separately written implementation of the same spec rather than against itself.
 */
final class FakeWire {
    static final ObjectMapper JSON = new ObjectMapper();
    static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);

    private final byte[] key;

    FakeWire(String key) {
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    /** One decoded incoming message. */
    record Incoming(List<byte[]> identities, ObjectNode header, ObjectNode parent, ObjectNode metadata,
                    ObjectNode content, List<byte[]> buffers) {
        String msgType() {
            return header.path("msg_type").asText("");
        }

        String msgId() {
            return header.path("msg_id").asText("");
        }
    }

    String sign(byte[] header, byte[] parent, byte[] metadata, byte[] content) {
        if (key.length == 0) {
            return "";
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(header);
            mac.update(parent);
            mac.update(metadata);
            mac.update(content);
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * Decodes raw frames; empty when the signature does not verify.
     *
     * @throws IllegalArgumentException when the frames are not a Jupyter message at all
     */
    Optional<Incoming> decode(List<byte[]> frames) {
        int delimiter = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (Arrays.equals(frames.get(i), DELIMITER)) {
                delimiter = i;
                break;
            }
        }
        if (delimiter < 0 || frames.size() < delimiter + 6) {
            throw new IllegalArgumentException("not a Jupyter message: " + frames.size() + " frames");
        }
        byte[] signature = frames.get(delimiter + 1);
        byte[] header = frames.get(delimiter + 2);
        byte[] parent = frames.get(delimiter + 3);
        byte[] metadata = frames.get(delimiter + 4);
        byte[] content = frames.get(delimiter + 5);
        if (key.length > 0) {
            byte[] expected = sign(header, parent, metadata, content).getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(expected, signature)) {
                return Optional.empty();
            }
        }
        return Optional.of(new Incoming(
                List.copyOf(frames.subList(0, delimiter)),
                object(header), object(parent), object(metadata), object(content),
                List.copyOf(frames.subList(delimiter + 6, frames.size()))));
    }

    List<byte[]> encode(List<byte[]> identities, ObjectNode header, ObjectNode parent, ObjectNode metadata,
                        ObjectNode content, List<byte[]> buffers, boolean corruptSignature) {
        byte[] h = bytes(header);
        byte[] p = bytes(parent);
        byte[] m = bytes(metadata);
        byte[] c = bytes(content);
        String signature = sign(h, p, m, c);
        if (corruptSignature) {
            signature = signature.isEmpty() ? "00" : (signature.charAt(0) == '0' ? "1" : "0") + signature.substring(1);
        }
        List<byte[]> frames = new ArrayList<>(identities);
        frames.add(DELIMITER);
        frames.add(signature.getBytes(StandardCharsets.US_ASCII));
        frames.add(h);
        frames.add(p);
        frames.add(m);
        frames.add(c);
        frames.addAll(buffers);
        return frames;
    }

    private static ObjectNode object(byte[] json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node instanceof ObjectNode object) {
                return object;
            }
            throw new IllegalArgumentException("frame is not a JSON object");
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("frame is not JSON: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
