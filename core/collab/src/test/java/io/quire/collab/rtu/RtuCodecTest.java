package io.quire.collab.rtu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.quire.collab.Delta;
import io.quire.collab.DeltaHeader;
import io.quire.collab.SequencedDelta;
import io.quire.collab.TextOperation;
import io.quire.notebook.CodeCell;
import io.quire.notebook.Notebook;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RtuCodecTest {
    private static final UUID LOG = UUID.fromString("00000000-0000-4000-8000-00000000f11e");
    private static final Delta DELTA = new Delta.EditSource(new DeltaHeader(UUID.randomUUID(), LOG, "ann", 3), "c1",
            TextOperation.builder().retain(2).insert("é😀").build());

    @Test
    void everyEvent_survivesARoundTrip() {
        List<RtuEvent.Client> clients = List.of(
                new RtuEvent.Subscribe("f_a", OptionalLong.of(4)),
                new RtuEvent.Subscribe("f_a", OptionalLong.empty()),
                new RtuEvent.Unsubscribe("f_a"),
                new RtuEvent.SendDelta("f_a", DELTA),
                new RtuEvent.SetPresence("f_a", Optional.of("c1"), Optional.of(new RtuEvent.Selection(2, 5))),
                new RtuEvent.SetPresence("f_a", Optional.empty(), Optional.empty()),
                new RtuEvent.Ping(),
                new RtuEvent.Interrupt("f_a"),
                new RtuEvent.Restart("f_a"),
                new RtuEvent.ShutdownKernel("f_a"));
        for (RtuEvent.Client event : clients) {
            assertThat(RtuCodec.readClient(RtuCodec.write(event))).isEqualTo(event);
        }
        Notebook snapshot = Notebook.empty().withCells(List.of(CodeCell.of(Optional.of("c1"), "x")));
        List<RtuEvent.Server> servers = List.of(
                new RtuEvent.Subscribed("f_a", LOG, 7, "ann", "k1", "editor", Optional.of(snapshot)),
                new RtuEvent.Subscribed("f_a", LOG, 7, "ann", "k1", "viewer", Optional.empty()),
                new RtuEvent.DeltaEvent("f_a", new SequencedDelta(8, Instant.parse("2026-11-26T10:00:00.123456Z"),
                        DELTA)),
                new RtuEvent.Ack("f_a", DELTA.deltaId(), 8),
                new RtuEvent.Rejected("f_a", DELTA.deltaId(), "cell_deleted", "gone"),
                new RtuEvent.Presence("f_a", "bob", "k2", Optional.of("c1"), Optional.of(new RtuEvent.Selection(0, 0))),
                new RtuEvent.PresenceLeft("f_a", "bob", "k2"),
                new RtuEvent.Resync("f_a", "too slow"),
                new RtuEvent.Error("bad_event", "no", Optional.empty()),
                new RtuEvent.Pong(),
                new RtuEvent.KernelStatus("f_a", "busy", Optional.empty()),
                new RtuEvent.KernelStatus("f_a", "dead", Optional.of("restarted by ann")),
                new RtuEvent.CellState("f_a", 4, "c1", "done", Optional.empty(), OptionalLong.of(3)),
                new RtuEvent.CellState("f_a", 4, "c1", "interrupted", Optional.of("node died"), OptionalLong.empty()),
                new RtuEvent.OutputChunk("f_a", 4, "c1", List.of(JsonNodeFactory.instance.objectNode().put(
                        "output_type", "stream")), false),
                new RtuEvent.OutputChunk("f_a", 4, "c1", List.of(), true),
                new RtuEvent.KernelControlled("f_a", "interrupt", "ann", "forwarded"));
        for (RtuEvent.Server event : servers) {
            RtuEvent.Server read = RtuCodec.readServer(RtuCodec.write(event));
            if (event instanceof RtuEvent.Subscribed subscribed && subscribed.snapshot().isPresent()) {
                assertThat(((RtuEvent.Subscribed) read).snapshot().orElseThrow().toJson())
                        .isEqualTo(snapshot.toJson());
            } else {
                assertThat(read).isEqualTo(event);
            }
        }
        assertThat(RtuEvent.TYPES).hasSize(19);
    }

    @Test
    void aFrame_holdsOneEventOrABatchInOrder() {
        RtuEvent.Server ack = new RtuEvent.Ack("f_a", UUID.randomUUID(), 7);
        RtuEvent.Server pong = new RtuEvent.Pong();
        RtuEvent.Server left = new RtuEvent.PresenceLeft("f_a", "u", "c");
        assertThat(RtuCodec.readServerFrame(RtuCodec.write(ack))).containsExactly(ack);
        String batch = "[" + RtuCodec.write(ack) + ", " + RtuCodec.write(pong) + "," + RtuCodec.write(left) + "]";
        assertThat(RtuCodec.readServerFrame(batch)).containsExactly(ack, pong, left);

        assertThatThrownBy(() -> RtuCodec.readServerFrame("[]")).isInstanceOf(RtuFormatException.class)
                .hasMessageContaining("non-empty array");
        assertThatThrownBy(() -> RtuCodec.readServerFrame("[" + RtuCodec.write(ack) + ", 3]"))
                .isInstanceOf(RtuFormatException.class).hasMessageContaining("got number");
        assertThatThrownBy(() -> RtuCodec.readServerFrame("[{\"type\": \"nope\"}]"))
                .isInstanceOf(RtuFormatException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> RtuCodec.readServerFrame("[1,")).isInstanceOf(RtuFormatException.class);
        assertThatThrownBy(() -> RtuCodec.readServerFrame(null)).isInstanceOf(RtuFormatException.class);
    }

    @Test
    void reading_isStrict_andNamesTheProblem() {
        assertRefused("", "got nothing");
        assertRefused("{} {}", "one JSON object");
        assertRefused("\"text\"", "JSON object");
        assertRefused("{\"file_id\": \"f\"}", "'type'");
        assertRefused("{\"type\": \"subscribed\", \"file_id\": \"f\"}", "unknown client event type 'subscribed'");
        assertRefused("{\"type\": \"unsubscribe\", \"file_id\": \"f\", \"x\": 1}", "unknown field x");
        assertRefused("{\"type\": \"unsubscribe\", \"file_id\": \"f\", \"file_id\": \"g\"}", "Duplicate");
        assertRefused("{\"type\": \"unsubscribe\", \"file_id\": 3}", "unsubscribe.file_id: must be a string");
        assertRefused("{\"type\": \"unsubscribe\", \"file_id\": \" \"}", "file_id must not be blank");
        assertRefused("{\"type\": \"subscribe\", \"file_id\": \"f\", \"from_seq\": 1.5}", "from_seq");
        assertRefused("{\"type\": \"interrupt\"}", "interrupt: missing field 'file_id'");
        assertRefused("{\"type\": \"restart\", \"file_id\": \"f\", \"cell_id\": \"c\"}", "unknown field cell_id");
        assertRefused("{\"type\": \"presence\", \"file_id\": \"f\", \"cursor\": {\"anchor\": 1}}", "cursor.head");
        assertRefused("{\"type\": \"presence\", \"file_id\": \"f\", \"cursor\": {\"anchor\": 1, \"head\": 1, "
                + "\"z\": 0}}", "cursor: unknown field z");
        assertRefused("{\"type\": \"delta\", \"file_id\": \"f\", \"delta\": {\"type\": \"edit_source\"}}",
                "delta.delta");
        assertThatThrownBy(() -> RtuCodec.readServer("{\"type\": \"ack\", \"file_id\": \"f\", \"delta_id\": \"x\", "
                + "\"seq\": 1}")).isInstanceOf(RtuFormatException.class).hasMessageContaining("ack.delta_id");
        assertThatThrownBy(() -> RtuCodec.readServer("{\"type\": \"output\", \"file_id\": \"f\", \"execute_seq\": 1, "
                + "\"cell_id\": \"c\", \"outputs\": [1], \"replace\": false}")).isInstanceOf(RtuFormatException.class)
                .hasMessageContaining("output.outputs[0]: must be an object");
        assertThatThrownBy(() -> RtuCodec.readServer("{\"type\": \"output\", \"file_id\": \"f\", \"execute_seq\": 1, "
                + "\"cell_id\": \"c\", \"outputs\": [], \"replace\": \"yes\"}")).isInstanceOf(RtuFormatException.class)
                .hasMessageContaining("output.replace: must be true or false");
        assertThatThrownBy(() -> RtuCodec.readServer("{\"type\": \"cell_state\", \"file_id\": \"f\", "
                + "\"cell_id\": \"c\", \"state\": \"done\"}")).isInstanceOf(RtuFormatException.class)
                .hasMessageContaining("cell_state: missing field 'execute_seq'");
    }

    private static void assertRefused(String json, String message) {
        assertThatThrownBy(() -> RtuCodec.readClient(json)).isInstanceOf(RtuFormatException.class)
                .hasMessageContaining(message);
    }
}
