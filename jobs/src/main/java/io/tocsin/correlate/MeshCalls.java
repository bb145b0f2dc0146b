package io.tocsin.correlate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tocsin.avro.MetricPoint;
import io.tocsin.config.CorrelationPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Calls between services seen in telemetry: a service-mesh or trace-derived request metric whose
 * labels name a caller and a callee (Istio's {@code source_workload}/{@code destination_workload},
 * the service graph's {@code client}/{@code server}; the policy's {@code meshCalls}) says the
 * caller depends on the callee. Each call is reported to the correlator once, at the earliest event
 * time it was seen (again only if an earlier point turns up), as a message on its broadcast input:
 * {@code {"op":"mesh-call","at":"...","caller":"a","callee":"b"}}.
 *
 * <p>State: one timestamp per call seen (about 100 bytes), expiring a week after it was last
 * written, so a call that stops is forgotten here (the correlator keeps what it learned, within its
 * own bound).
 */
public final class MeshCalls {

    /** The message's {@code op}. */
    public static final String OP = "mesh-call";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One call: who calls whom, and since when (event time, epoch millis). */
    public record Call(String caller, String callee, long at) {}

    private MeshCalls() {}

    /** The calls in {@code points}, as broadcast messages carrying the points' event time. */
    public static DataStream<String> observe(
            DataStream<MetricPoint> points, CorrelationPolicy policy) {
        List<CorrelationPolicy.MeshCallLabels> labels = policy.meshCalls();
        return points.flatMap(
                        (MetricPoint p, Collector<String> out) -> {
                            String key = callKey(p, labels);
                            if (key != null) {
                                out.collect(key);
                            }
                        })
                .returns(Types.STRING)
                .name("mesh-calls")
                .uid("mesh-calls")
                .keyBy(k -> k.substring(0, k.lastIndexOf('\n')))
                .process(new EarliestSighting())
                .name("mesh-call-sightings")
                .uid("mesh-call-sightings");
    }

    /** "caller SEP callee\nmillis" for a point that names a call, else null. */
    static String callKey(MetricPoint p, List<CorrelationPolicy.MeshCallLabels> labels) {
        if (Double.isNaN(p.getValue()) || p.getValue() <= 0) {
            return null;
        }
        Map<String, String> l = p.getLabels();
        for (CorrelationPolicy.MeshCallLabels m : labels) {
            String caller = l.get(m.caller());
            String callee = l.get(m.callee());
            if (named(caller) && named(callee) && !caller.equals(callee)) {
                return caller + LinkMemory.SEP + callee + "\n" + p.getTimestamp().toEpochMilli();
            }
        }
        return null;
    }

    private static boolean named(String v) {
        return v != null && !v.isBlank() && !v.equals("unknown");
    }

    /** The message for a call. */
    public static String message(Call c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("op", OP);
        n.put("at", Instant.ofEpochMilli(c.at()).toString());
        n.put("caller", c.caller());
        n.put("callee", c.callee());
        return n.toString();
    }

    /** The call in a broadcast message, or null when the message is something else. */
    public static Call parse(String message) {
        if (message == null || !message.contains(OP)) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(message);
            if (!OP.equals(n.path("op").asText())) {
                return null;
            }
            return new Call(
                    n.path("caller").asText(),
                    n.path("callee").asText(),
                    Instant.parse(n.path("at").asText()).toEpochMilli());
        } catch (Exception e) {
            return null;
        }
    }

    /** Emits a call the first time it is seen, and again only for an earlier sighting. */
    static final class EarliestSighting extends KeyedProcessFunction<String, String, String> {
        private transient ValueState<Long> earliest;

        @Override
        public void open(OpenContext ctx) {
            ValueStateDescriptor<Long> d = new ValueStateDescriptor<>("earliest", Types.LONG);
            d.enableTimeToLive(StateTtlConfig.newBuilder(java.time.Duration.ofDays(7)).build());
            earliest = getRuntimeContext().getState(d);
        }

        @Override
        public void processElement(String key, Context ctx, Collector<String> out)
                throws Exception {
            int nl = key.lastIndexOf('\n');
            long at = Long.parseLong(key.substring(nl + 1));
            Long seen = earliest.value();
            if (seen == null || at < seen) {
                earliest.update(at);
                String[] cc = key.substring(0, nl).split(LinkMemory.SEP, 2);
                out.collect(message(new Call(cc[0], cc[1], at)));
            }
        }
    }
}
