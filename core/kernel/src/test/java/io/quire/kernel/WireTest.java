package io.quire.kernel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WireTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC);

    private static Message sample(Random random) {
        ObjectNode content = Json.object().put("code", "x = " + random.nextInt()).put("unicode", "é✓\u0000");
        Header parent = Header.create("execute_request", "s1", "u", CLOCK);
        List<byte[]> buffers = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            byte[] buffer = new byte[random.nextInt(64)];
            random.nextBytes(buffer);
            buffers.add(buffer);
        }
        List<byte[]> identities = random.nextBoolean() ? List.of("peer".getBytes(StandardCharsets.US_ASCII)) : List.of();
        return new Message(identities, Header.create("stream", "s2", "u", CLOCK),
                random.nextBoolean() ? Optional.of(parent) : Optional.empty(), Json.object().put("m", 1), content, buffers);
    }

    @Test
    void encode_producesDelimiterSignatureAndFourJsonFramesThenBuffers() {
        Wire wire = new Wire("secret", "hmac-sha256");
        Message message = new Message(List.of(), Header.create("comm_msg", "s", "u", CLOCK), Optional.empty(),
                Json.object(), Json.object().put("a", 1), List.of(new byte[] {1, 2, 3}));

        List<byte[]> frames = wire.encode(message);

        assertThat(frames).hasSize(7);
        assertThat(new String(frames.get(0), StandardCharsets.US_ASCII)).isEqualTo("<IDS|MSG>");
        assertThat(new String(frames.get(1), StandardCharsets.US_ASCII)).matches("[0-9a-f]{64}");
        assertThat(new String(frames.get(3), StandardCharsets.UTF_8)).isEqualTo("{}");
        assertThat(frames.get(6)).containsExactly(1, 2, 3);
    }

    @RepeatedTest(200)
    void signThenVerify_roundTripsAndAnyFlippedByteIsRejected() {
        Random random = new Random();
        Wire wire = new Wire(Long.toHexString(random.nextLong()), "hmac-sha256");
        Message message = sample(random);
        List<byte[]> frames = wire.encode(message);

        Wire.Decoded decoded = wire.decode(frames);
        assertThat(decoded).isInstanceOf(Wire.Valid.class);
        Message back = ((Wire.Valid) decoded).message();
        assertThat(back.header()).isEqualTo(message.header());
        assertThat(back.parentHeader()).isEqualTo(message.parentHeader());
        assertThat(back.content()).isEqualTo(message.content());
        assertThat(back.buffers()).hasSameSizeAs(message.buffers());
        for (int i = 0; i < message.buffers().size(); i++) {
            assertThat(back.buffers().get(i)).isEqualTo(message.buffers().get(i));
        }

        int delimiter = message.identities().size();
        int frame = delimiter + 1 + random.nextInt(5); // signature or one of the four signed frames
        List<byte[]> tampered = new ArrayList<>(frames);
        byte[] copy = tampered.get(frame).clone();
        int at = random.nextInt(copy.length);
        copy[at] = (byte) (copy[at] ^ (1 + random.nextInt(255)));
        tampered.set(frame, copy);

        assertThat(wire.decode(tampered)).isEqualTo(new Wire.Rejected(Wire.Reason.BAD_SIGNATURE, "signature does not match"));
    }

    @Test
    void decode_rejectsMessageSignedWithAnotherKey() {
        Message message = sample(new Random(1));
        List<byte[]> frames = new Wire("one", "hmac-sha256").encode(message);

        assertThat(new Wire("two", "hmac-sha256").decode(frames)).isInstanceOf(Wire.Rejected.class);
    }

    @Test
    void emptyKey_sendsEmptySignatureAndAcceptsAnySignature() {
        Wire wire = new Wire("", "hmac-sha256");
        List<byte[]> frames = new ArrayList<>(wire.encode(sample(new Random(2))));
        int delimiter = frames.indexOf(frames.stream().filter(f -> new String(f, StandardCharsets.US_ASCII).equals("<IDS|MSG>")).findFirst().orElseThrow());

        assertThat(frames.get(delimiter + 1)).isEmpty();
        frames.set(delimiter + 1, "whatever".getBytes(StandardCharsets.US_ASCII));
        assertThat(wire.decode(frames)).isInstanceOf(Wire.Valid.class);
    }

    @Test
    void decode_rejectsFramesWithoutDelimiterOrTooFewFramesOrBadJson() {
        Wire wire = new Wire("k", "hmac-sha256");
        byte[] json = "{}".getBytes(StandardCharsets.US_ASCII);

        assertThat(wire.decode(List.of(json, json))).extracting(d -> ((Wire.Rejected) d).reason()).isEqualTo(Wire.Reason.MALFORMED);
        assertThat(wire.decode(List.of(Wire.DELIMITER, json, json))).extracting(d -> ((Wire.Rejected) d).reason())
                .isEqualTo(Wire.Reason.MALFORMED);
        byte[] bad = "not json".getBytes(StandardCharsets.US_ASCII);
        byte[] signature = wire.signature(bad, json, json, json);
        assertThat(wire.decode(List.of(Wire.DELIMITER, signature, bad, json, json, json)))
                .extracting(d -> ((Wire.Rejected) d).reason()).isEqualTo(Wire.Reason.MALFORMED);
    }

    @Test
    void constructor_rejectsUnsupportedSignatureScheme() {
        assertThatThrownBy(() -> new Wire("k", "hmac-md5"))
                .isInstanceOf(KernelProtocolException.class)
                .hasMessageContaining("hmac-md5");
    }

    @Test
    void signature_matchesKnownHmacSha256Vector() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?" split across the four frames
        Wire wire = new Wire("Jefe", "hmac-sha256");
        byte[] signature = wire.signature("what do ".getBytes(StandardCharsets.US_ASCII),
                "ya want ".getBytes(StandardCharsets.US_ASCII), "for ".getBytes(StandardCharsets.US_ASCII),
                "nothing?".getBytes(StandardCharsets.US_ASCII));

        assertThat(new String(signature, StandardCharsets.US_ASCII))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
