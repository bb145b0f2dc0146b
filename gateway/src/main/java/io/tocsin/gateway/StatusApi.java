package io.tocsin.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tocsin.time.Rfc3339;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * {@code GET /api/v2/status} (Alertmanager's AlertmanagerStatus, with the gateway's settings as its
 * config), {@code /-/ready} (200 only while Kafka accepts writes) and {@code /metrics}.
 */
final class StatusApi {

    private final KafkaWriter kafka;
    private final ControlTopicReader control;
    private final GatewayMetrics metrics;
    private final String configText;
    private final Instant started;

    StatusApi(
            KafkaWriter kafka,
            ControlTopicReader control,
            GatewayMetrics metrics,
            String configText,
            Instant started) {
        this.kafka = kafka;
        this.control = control;
        this.metrics = metrics;
        this.configText = configText;
        this.started = started;
    }

    Reply status() {
        ObjectNode o = Reply.JSON.createObjectNode();
        ObjectNode cluster = o.putObject("cluster");
        cluster.put("status", "disabled");
        cluster.putArray("peers");
        o.putObject("config").put("original", configText);
        o.put("uptime", Rfc3339.format(started));
        ObjectNode v = o.putObject("versionInfo");
        String version = StatusApi.class.getPackage().getImplementationVersion();
        v.put("version", "tocsin-gateway " + (version == null ? "dev" : version));
        v.put("revision", "");
        v.put("branch", "");
        v.put("buildUser", "");
        v.put("buildDate", "");
        v.put("goVersion", "java " + Runtime.version());
        return Reply.json(200, o);
    }

    Reply ready() {
        if (!kafka.ready()) {
            return Reply.text(503, "Kafka does not accept writes\n");
        }
        if (!control.caughtUp()) {
            return Reply.text(503, "still reading the control topic (silences)\n");
        }
        return Reply.text(200, "OK\n");
    }

    Reply metrics(String accept) {
        try {
            GatewayMetrics.Scrape s = metrics.scrape(accept);
            return new Reply(200, s.contentType(), s.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
