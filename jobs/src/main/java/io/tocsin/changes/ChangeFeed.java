package io.tocsin.changes;

import io.tocsin.avro.Change;
import io.tocsin.control.TopologyVersion;

/**
 * The changes stage's broadcast input: a change, or a topology version from the control topic
 * (exactly one is set; the two streams are unioned into this type).
 */
public class ChangeFeed {

    public Change change;
    public TopologyVersion topology;

    public ChangeFeed() {}

    public static ChangeFeed of(Change c) {
        ChangeFeed f = new ChangeFeed();
        f.change = c;
        return f;
    }

    public static ChangeFeed of(TopologyVersion v) {
        ChangeFeed f = new ChangeFeed();
        f.topology = v;
        return f;
    }
}
