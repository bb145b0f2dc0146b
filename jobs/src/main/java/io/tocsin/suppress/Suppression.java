package io.tocsin.suppress;

import io.tocsin.avro.Alert;
import io.tocsin.config.Policy;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The suppress stage of DESIGN.md: maintenance windows, silences and inhibition, applied to alert
 * transitions from broadcast policy state. The foundation has no suppression rules yet, so every
 * transition passes; this is where the stage plugs in, between dedupe and correlate.
 */
public final class Suppression {

    private Suppression() {}

    public static DataStream<Alert> apply(DataStream<Alert> transitions, Policy policy) {
        return transitions;
    }
}
