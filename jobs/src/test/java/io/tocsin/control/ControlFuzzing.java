package io.tocsin.control;

import io.tocsin.config.IngestPolicy;
import io.tocsin.fuzz.FuzzTarget;
import io.tocsin.fuzz.FuzzTarget.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The control topic's parser as a fuzz target (its parse step is package-private). */
public final class ControlFuzzing {

    private static final String AT = "\"at\":\"2026-11-02T02:10:00Z\"";

    private ControlFuzzing() {}

    public static FuzzTarget target(IngestPolicy ingest) {
        ParseControl parse = new ParseControl(ingest);
        return new FuzzTarget(
                "control",
                seeds(),
                List.of(),
                bytes -> {
                    List<Outcome> out = new ArrayList<>();
                    // The control source reads text: invalid UTF-8 arrives as replacement chars.
                    parse.parse(
                            new String(bytes, StandardCharsets.UTF_8),
                            1_762_049_400_000L,
                            u -> out.add(Outcome.accepted(u)),
                            d -> out.add(Outcome.rejected(d)));
                    return out;
                },
                bytes -> new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8),
                ControlFuzzing::rebuilt);
    }

    /** What a stage does with an accepted change: rebuild the typed value from its text. */
    private static Object rebuilt(Object update) {
        if (update instanceof RuleChange c && c.ruleJson() != null) {
            RuleChange.ruleOf(c.ruleJson());
        } else if (update instanceof TopologyVersion v) {
            TopologyVersion.topologyOf(v.json());
        } else if (update instanceof EscalationPolicyVersion v) {
            EscalationPolicyVersion.policyOf(v.json());
        }
        return update;
    }

    private static List<byte[]> seeds() {
        return List.of(
                bytes(
                        "{\"op\":\"upsert\","
                                + AT
                                + ",\"silence\":{\"id\":\"s1\",\"matchers\":[\"service=\\\"a\\\"\"],"
                                + "\"startsAt\":\"2026-11-02T02:00:00Z\",\"endsAt\":\"2026-11-02T03:00:00Z\","
                                + "\"createdBy\":\"carol\",\"comment\":\"deploy\"}}"),
                bytes(
                        "{\"op\":\"upsert\","
                                + AT
                                + ",\"maintenanceWindow\":{\"id\":\"m1\",\"matchers\":[\"service=~\\\"s.*\\\"\"],"
                                + "\"start\":\"2026-11-02T02:00:00Z\",\"end\":\"2026-11-02T03:00:00Z\"}}"),
                bytes("{\"op\":\"delete\"," + AT + ",\"kind\":\"silence\",\"id\":\"s1\"}"),
                bytes("{\"op\":\"delete\",\"kind\":\"maintenanceWindow\",\"id\":\"m1\"}"),
                bytes(
                        "{\"op\":\"topology\","
                                + AT
                                + ",\"topology\":{\"services\":[{\"name\":\"a\",\"dependsOn\":[\"b\"]},"
                                + "{\"name\":\"b\"}]}}"),
                bytes(
                        "{\"op\":\"escalation\","
                                + AT
                                + ",\"escalation\":{\"targets\":{\"n\":{\"person\":\"zoe\",\"routingKey\":\"RK\"}},"
                                + "\"chains\":[{\"id\":\"n\",\"tiers\":[{\"target\":\"n\"}]}]}}"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
