package io.tocsin.correlate;

import io.tocsin.control.TopologyVersion;

/**
 * The correlator's broadcast input: a topology version from the control topic or a mesh call seen
 * in telemetry (exactly one is set; the two streams are unioned into this type).
 */
public class TopologyInput {

    public TopologyVersion version;
    public MeshCalls.Call call;

    public TopologyInput() {}

    public static TopologyInput of(TopologyVersion v) {
        TopologyInput in = new TopologyInput();
        in.version = v;
        return in;
    }

    /** The call in a {@link MeshCalls} message (none if it is not one). */
    public static TopologyInput ofMeshCall(String message) {
        TopologyInput in = new TopologyInput();
        in.call = MeshCalls.parse(message);
        return in;
    }
}
