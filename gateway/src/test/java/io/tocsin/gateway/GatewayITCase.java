package io.tocsin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tocsin.avro.Alert;
import io.tocsin.avro.AlertStatus;
import io.tocsin.avro.DeadLetter;
import io.tocsin.avro.MetricPoint;
import io.tocsin.config.Policy;
import io.tocsin.gateway.prompb.Label;
import io.tocsin.gateway.prompb.Sample;
import io.tocsin.gateway.prompb.TimeSeries;
import io.tocsin.gateway.prompb.WriteRequest;
import io.tocsin.ingest.Fingerprint;
import io.tocsin.testing.InJvmKafka;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xerial.snappy.Snappy;

/**
 * The gateway against a real (in-JVM) Kafka broker: what goes in, what comes out, what is refused.
 */
class GatewayITCase {

    @RegisterExtension static final InJvmKafka KAFKA = new InJvmKafka();

    private static GatewayConfig.TopicNames topics() throws Exception {
        GatewayConfig.TopicNames t =
                GatewayConfig.TopicNames.withPrefix(
                        "t" + UUID.randomUUID().toString().substring(0, 8) + "-");
        KAFKA.createTopics(2, t.alerts(), t.telemetry(), t.deadLetters());
        KAFKA.createTopics(1, t.control());
        return t;
    }

    private static Gateway start(GatewayConfig config) throws Exception {
        return Gateway.start(config, new PrometheusRegistry(), false);
    }

    private static GatewayConfig config(GatewayConfig.TopicNames t) {
        return GatewayConfig.local(KAFKA.bootstrapServers(), t, Policy.defaults());
    }

    private static String alert(String name, Instant startsAt, Instant endsAt) {
        return "{\"labels\":{\"alertname\":\""
                + name
                + "\",\"service\":\"checkout\",\"severity\":\"critical\"},"
                + "\"annotations\":{\"summary\":\"s\"},\"startsAt\":\""
                + startsAt
                + "\",\"endsAt\":\""
                + endsAt
                + "\",\"generatorURL\":\"http://prom/graph\"}";
    }

    @Test
    void alertsArePutOnTheAlertsTopicKeyedByFingerprintBeforeTheAnswer() throws Exception {
        var t = topics();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (Gateway g = start(config(t))) {
            String body =
                    "["
                            + alert("HighLatency", now.minusSeconds(60), now.plusSeconds(240))
                            + ","
                            + alert("ErrorRate", now.minusSeconds(600), now.minusSeconds(1))
                            + "]";
            Http.Answer a = Http.post(g.uri(), "/api/v2/alerts", body);
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            // Acknowledged before the answer: the records are readable now.
            List<ConsumerRecord<byte[], byte[]>> records =
                    TopicReader.read(
                            KAFKA.bootstrapServers(), t.alerts(), 2, Duration.ofSeconds(10));
            assertThat(records).hasSize(2);
            Map<String, Alert> byName = new java.util.HashMap<>();
            for (var r : records) {
                Alert x = Alert.getDecoder().decode(r.value());
                assertThat(new String(r.key(), StandardCharsets.UTF_8))
                        .isEqualTo(x.getFingerprint());
                assertThat(x.getFingerprint()).isEqualTo(Fingerprint.of(x.getLabels()));
                byName.put(x.getLabels().get("alertname"), x);
            }
            // Alertmanager's rule: endsAt in the future is firing, in the past resolved.
            assertThat(byName.get("HighLatency").getStatus()).isEqualTo(AlertStatus.FIRING);
            assertThat(byName.get("ErrorRate").getStatus()).isEqualTo(AlertStatus.RESOLVED);
            assertThat(byName.get("HighLatency").getReceivedAt()).isBetween(now, Instant.now());
            assertThat(byName.get("HighLatency").getGeneratorUrl()).isEqualTo("http://prom/graph");

            // An Alertmanager webhook payload on /webhook.
            String webhook =
                    "{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"tocsin\",\"alerts\":[{"
                            + "\"status\":\"firing\",\"labels\":{\"alertname\":\"DiskFull\"},"
                            + "\"startsAt\":\""
                            + now
                            + "\",\"endsAt\":\"0001-01-01T00:00:00Z\",\"fingerprint\":\"abc123\"}]}";
            assertThat(Http.post(g.uri(), "/webhook", webhook).status()).isEqualTo(200);
            records =
                    TopicReader.read(
                            KAFKA.bootstrapServers(), t.alerts(), 3, Duration.ofSeconds(10));
            assertThat(records).hasSize(3);
            assertThat(records.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)))
                    .contains("abc123");
        }
    }

    @Test
    void badInputIsAnsweredWithTheFieldAndReasonAndDeadLettered() throws Exception {
        var t = topics();
        Instant now = Instant.now();
        try (Gateway g = start(config(t).withMaxBodyBytes(4096))) {
            Http.Answer notJson = Http.post(g.uri(), "/api/v2/alerts", "[{\"labels\":");
            assertThat(notJson.status()).isEqualTo(400);
            assertThat(notJson.body()).contains("not JSON");

            // One good alert, one without labels and one with a bad time: the good one is kept.
            String mixed =
                    "["
                            + alert("Good", now, now.plusSeconds(300))
                            + ",{\"startsAt\":\""
                            + now
                            + "\"},{\"labels\":{\"a\":\"b\"},\"startsAt\":\"yesterday\"}]";
            Http.Answer a = Http.post(g.uri(), "/api/v2/alerts", mixed);
            assertThat(a.status()).isEqualTo(400);
            assertThat(a.body())
                    .contains("2 alerts refused (1 accepted)")
                    .contains("[1].labels: missing")
                    .contains("[2].startsAt: cannot parse \\\"yesterday\\\" as an RFC 3339 time");
            assertThat(
                            TopicReader.read(
                                    KAFKA.bootstrapServers(),
                                    t.alerts(),
                                    1,
                                    Duration.ofSeconds(10)))
                    .hasSize(1);
            List<String> reasons =
                    TopicReader.read(
                                    KAFKA.bootstrapServers(),
                                    t.deadLetters(),
                                    3,
                                    Duration.ofSeconds(10))
                            .stream()
                            .map(r -> decodeDeadLetter(r.value()))
                            .map(d -> d.getStage() + ":" + d.getReasonCode())
                            .toList();
            assertThat(reasons)
                    .containsExactlyInAnyOrder(
                            "gateway:MALFORMED_JSON", "gateway:MISSING_LABELS", "gateway:BAD_TIME");

            Http.Answer big = Http.post(g.uri(), "/api/v2/alerts", "[" + " ".repeat(5000) + "]");
            assertThat(big.status()).isEqualTo(413);
            assertThat(big.body()).contains("limit is 4096");

            Http.Answer nowhere = Http.get(g.uri(), "/api/v2/nothing");
            assertThat(nowhere.status()).isEqualTo(404);
        }
    }

    private static DeadLetter decodeDeadLetter(byte[] b) {
        try {
            return DeadLetter.getDecoder().decode(b);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] writeRequest(List<TimeSeries> series) throws Exception {
        return Snappy.compress(
                WriteRequest.newBuilder().addAllTimeseries(series).build().toByteArray());
    }

    private static TimeSeries series(String name, Map<String, String> labels, double... values) {
        TimeSeries.Builder b = TimeSeries.newBuilder();
        if (name != null) {
            b.addLabels(Label.newBuilder().setName("__name__").setValue(name));
        }
        labels.forEach((k, v) -> b.addLabels(Label.newBuilder().setName(k).setValue(v)));
        long t = 1_790_000_000_000L;
        for (double v : values) {
            b.addSamples(Sample.newBuilder().setValue(v).setTimestamp(t));
            t += 15_000;
        }
        return b.build();
    }

    private static Http.Answer remoteWrite(URI base, byte[] body, String encoding)
            throws Exception {
        HttpRequest.Builder r =
                HttpRequest.newBuilder(base.resolve("/api/v1/write"))
                        .header("Content-Type", "application/x-protobuf")
                        .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (encoding != null) {
            r.header("Content-Encoding", encoding);
        }
        return Http.send(r);
    }

    @Test
    void remoteWriteSamplesOfAllowedSeriesBecomeMetricPoints() throws Exception {
        var t = topics();
        SeriesAllowList allow =
                SeriesAllowList.parse(
                        List.of("http_errors_ratio{job=\"api\"}", "{__name__=~\"pool_.*\"}"));
        try (Gateway g = start(config(t).withAllowList(allow))) {
            byte[] body =
                    writeRequest(
                            List.of(
                                    series("http_errors_ratio", Map.of("job", "api"), 0.1, 0.2),
                                    series("http_errors_ratio", Map.of("job", "web"), 0.5),
                                    series("pool_used", Map.of("service", "users-pg"), 7),
                                    series("up", Map.of("job", "api"), 1)));
            Http.Answer a = remoteWrite(g.uri(), body, "snappy");
            assertThat(a.status()).as(a.body()).isEqualTo(204);
            List<MetricPoint> points =
                    TopicReader.read(
                                    KAFKA.bootstrapServers(),
                                    t.telemetry(),
                                    3,
                                    Duration.ofSeconds(10))
                            .stream()
                            .map(r -> decodePoint(r.value()))
                            .toList();
            assertThat(points)
                    .extracting(p -> p.getMetric() + p.getLabels() + "=" + p.getValue())
                    .containsExactlyInAnyOrder(
                            "http_errors_ratio{job=api}=0.1",
                            "http_errors_ratio{job=api}=0.2",
                            "pool_used{service=users-pg}=7.0");
            assertThat(points.get(0).getTimestamp().toEpochMilli() % 1000).isZero();

            // A series without a name is refused by name; the rest of the batch is kept.
            Http.Answer bad =
                    remoteWrite(
                            g.uri(),
                            writeRequest(
                                    List.of(
                                            series(null, Map.of("job", "api"), 1),
                                            series("pool_free", Map.of(), 3))),
                            "snappy");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body())
                    .contains("timeseries[0].labels: __name__ (the metric name) is required");

            assertThat(remoteWrite(g.uri(), body, null).status()).isEqualTo(415);
            Http.Answer corrupt = remoteWrite(g.uri(), "not snappy".getBytes(), "snappy");
            assertThat(corrupt.status()).isEqualTo(400);
            assertThat(corrupt.body()).contains("snappy");
            Http.Answer notProto =
                    remoteWrite(g.uri(), Snappy.compress(new byte[] {(byte) 0xff, 1, 2}), "snappy");
            assertThat(notProto.status()).isEqualTo(400);
            assertThat(notProto.body()).contains("protobuf");

            String scrape = Http.get(g.uri(), "/metrics").body();
            assertThat(scrape)
                    .contains("tocsin_gateway_samples_accepted_total 4.0")
                    .contains("tocsin_gateway_samples_dropped_total{reason=\"not_allowed\"} 2.0");
        }
    }

    private static MetricPoint decodePoint(byte[] b) {
        try {
            return MetricPoint.getDecoder().decode(b);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String silence(String id, Instant start, Instant end) {
        return "{"
                + (id == null ? "" : "\"id\":\"" + id + "\",")
                + "\"matchers\":[{\"name\":\"alertname\",\"value\":\"HighLatency\",\"isRegex\":false},"
                + "{\"name\":\"service\",\"value\":\"check.*\",\"isRegex\":true,\"isEqual\":true}],"
                + "\"startsAt\":\""
                + start
                + "\",\"endsAt\":\""
                + end
                + "\",\"createdBy\":\"alice\",\"comment\":\"deploying checkout\"}";
    }

    @Test
    void silencesGoToTheControlTopicAndAreReadBackAfterARestart() throws Exception {
        var t = topics();
        Instant now = Instant.now();
        String id;
        try (Gateway g = start(config(t))) {
            Http.Answer a =
                    Http.post(
                            g.uri(), "/api/v2/silences", silence(null, now, now.plusSeconds(3600)));
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            id = Reply.JSON.readTree(a.body()).get("silenceID").asText();

            var control =
                    TopicReader.read(
                            KAFKA.bootstrapServers(), t.control(), 1, Duration.ofSeconds(10));
            assertThat(control).hasSize(1);
            String message = new String(control.get(0).value(), StandardCharsets.UTF_8);
            // The job's own control message: author and comment kept as the audit trail.
            assertThat(message)
                    .startsWith("{\"op\":\"upsert\"")
                    .contains(
                            "\"matchers\":[\"alertname=\\\"HighLatency\\\"\",\"service=~\\\"check.*\\\"\"]")
                    .contains("\"createdBy\":\"alice\"")
                    .contains("\"comment\":\"deploying checkout\"");
            assertThat(io.tocsin.control.ControlMessage.parse(message, null).key())
                    .isEqualTo("silence:" + id);

            // Refusals name the field.
            Http.Answer noAuthor =
                    Http.post(
                            g.uri(),
                            "/api/v2/silences",
                            silence(null, now, now.plusSeconds(60)).replace("\"alice\"", "\"\""));
            assertThat(noAuthor.status()).isEqualTo(400);
            assertThat(noAuthor.body()).contains("createdBy: required");
            Http.Answer backwards =
                    Http.post(
                            g.uri(), "/api/v2/silences", silence(null, now, now.minusSeconds(60)));
            assertThat(backwards.body()).contains("endsAt: must be after startsAt");
            Http.Answer badRegex =
                    Http.post(
                            g.uri(),
                            "/api/v2/silences",
                            silence(null, now, now.plusSeconds(60))
                                    .replace("check.*", "(unclosed"));
            assertThat(badRegex.status()).isEqualTo(400);
            assertThat(badRegex.body()).contains("matchers[1]").contains("bad regex");
            assertThat(
                            Http.post(
                                            g.uri(),
                                            "/api/v2/silences",
                                            silence("nope", now, now.plusSeconds(60)))
                                    .status())
                    .isEqualTo(404);
        }
        try (Gateway g = start(config(t))) {
            // A new process knows the silence from the control topic alone.
            var list = Reply.JSON.readTree(Http.get(g.uri(), "/api/v2/silences").body());
            assertThat(list).hasSize(1);
            assertThat(list.get(0).get("id").asText()).isEqualTo(id);
            assertThat(list.get(0).get("status").get("state").asText()).isEqualTo("active");
            assertThat(list.get(0).get("createdBy").asText()).isEqualTo("alice");
            assertThat(list.get(0).get("matchers").get(1).get("isRegex").asBoolean()).isTrue();
            assertThat(
                            Reply.JSON
                                    .readTree(
                                            Http.get(
                                                            g.uri(),
                                                            "/api/v2/silences?filter=alertname%3D%22Other%22")
                                                    .body())
                                    .size())
                    .isZero();
            assertThat(Http.delete(g.uri(), "/api/v2/silence/" + id).status()).isEqualTo(200);
            var one = Reply.JSON.readTree(Http.get(g.uri(), "/api/v2/silence/" + id).body());
            assertThat(one.get("status").get("state").asText()).isEqualTo("expired");
            var control =
                    TopicReader.read(
                            KAFKA.bootstrapServers(), t.control(), 2, Duration.ofSeconds(10));
            assertThat(new String(control.get(1).value(), StandardCharsets.UTF_8))
                    .contains("\"op\":\"delete\"")
                    .contains("\"kind\":\"silence\"")
                    .contains("\"id\":\"" + id + "\"");
            assertThat(Http.delete(g.uri(), "/api/v2/silence/unknown").status()).isEqualTo(404);
        }
    }

    @Test
    void aBearerTokenIsRequiredWhenConfiguredAndHealthStaysOpen() throws Exception {
        var t = topics();
        try (Gateway g = start(config(t).withBearerToken("s3cret"))) {
            assertThat(Http.post(g.uri(), "/api/v2/alerts", "[]").status()).isEqualTo(401);
            Http.Answer wrong =
                    Http.send(
                            HttpRequest.newBuilder(g.uri().resolve("/api/v2/silences"))
                                    .header("Authorization", "Bearer guess")
                                    .GET());
            assertThat(wrong.status()).isEqualTo(401);
            Http.Answer right =
                    Http.send(
                            HttpRequest.newBuilder(g.uri().resolve("/api/v2/silences"))
                                    .header("Authorization", "Bearer s3cret")
                                    .GET());
            assertThat(right.status()).isEqualTo(200);
            assertThat(Http.get(g.uri(), "/-/healthy").status()).isEqualTo(200);
            assertThat(Http.get(g.uri(), "/-/ready").status()).isEqualTo(200);
        }
    }

    @Test
    void withKafkaAwayWritesAre503SoTheSenderRetriesAndReadyIsFalse() throws Exception {
        var t = topics();
        // Nothing listens on this port: the broker is "down".
        int dead;
        try (var s = new java.net.ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        GatewayConfig c =
                GatewayConfig.local("127.0.0.1:" + dead, t, Policy.defaults())
                        .withWriteTimeout(Duration.ofSeconds(2));
        try (Gateway g = start(c)) {
            Instant now = Instant.now();
            Http.Answer a =
                    Http.post(
                            g.uri(),
                            "/api/v2/alerts",
                            "[" + alert("X", now, now.plusSeconds(60)) + "]");
            assertThat(a.status()).isEqualTo(503);
            assertThat(a.body()).contains("retry");
            assertThat(Http.get(g.uri(), "/-/ready").status()).isEqualTo(503);
            assertThat(Http.get(g.uri(), "/-/healthy").status()).isEqualTo(200);
            assertThat(Http.get(g.uri(), "/metrics").body())
                    .contains("tocsin_gateway_kafka_ready 0.0");
        }
    }

    @Test
    void everyDeclaredMetricIsExportedAndStatusAnswersLikeAlertmanager() throws Exception {
        var t = topics();
        try (Gateway g = start(config(t))) {
            Http.post(g.uri(), "/api/v2/alerts", "[]");
            var status = Reply.JSON.readTree(Http.get(g.uri(), "/api/v2/status").body());
            assertThat(status.get("cluster").get("status").asText()).isEqualTo("disabled");
            assertThat(status.get("versionInfo").has("version")).isTrue();
            assertThat(status.get("config").get("original").asText()).contains(t.alerts());
            String scrape = Http.get(g.uri(), "/metrics").body();
            for (String name : GatewayMetricNames.all()) {
                assertThat(scrape).as(name).contains("# TYPE " + name);
            }
            assertThat(scrape)
                    .contains(
                            "tocsin_gateway_http_requests_total{code=\"400\",handler=\"alerts\"} 1.0")
                    .contains("tocsin_gateway_kafka_ready 1.0");
        }
    }
}
