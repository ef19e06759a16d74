package io.quire.kernel;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code comm_info_reply}.
 *
 * @param comms open comms: comm id to target name
 */
public record CommInfoReply(Map<String, String> comms) {
    /** Copies the map. */
    public CommInfoReply {
        comms = Map.copyOf(comms);
    }

    static CommInfoReply fromJson(ObjectNode c) {
        Map<String, String> comms = new LinkedHashMap<>();
        c.path("comms").properties().forEach(e -> comms.put(e.getKey(), Json.text(e.getValue(), "target_name")));
        return new CommInfoReply(comms);
    }
}
