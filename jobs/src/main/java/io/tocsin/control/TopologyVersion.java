package io.tocsin.control;

import io.tocsin.config.Topology;
import io.tocsin.config.TopologyLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/**
 * A topology replacing the one in force, from {@code at} on.
 *
 * @param at event time in epoch millis
 * @param json the topology as JSON ({@code {"services": [...]}}, the topology file's shape)
 */
public record TopologyVersion(long at, String json) implements ControlUpdate {

    /** The topology in a version's JSON (validated when the message was parsed). */
    public static Topology topologyOf(String json) {
        return TopologyLoader.parse(
                "control", new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}
