package io.tocsin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tocsin.avro.Alert;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.avro.MetricPoint;
import io.tocsin.config.Policy;
import io.tocsin.config.PolicyLoader;
import io.tocsin.config.Topics;
import io.tocsin.config.Topology;
import io.tocsin.ingest.Heartbeats;
import io.tocsin.metrics.PrometheusReporter;
import io.tocsin.pipeline.KafkaSources;
import io.tocsin.pipeline.LiveSinks;
import io.tocsin.pipeline.TocsinJob;
import io.tocsin.testing.CollectingSinks;
import io.tocsin.testing.InJvmKafka;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real thing: Debian's Prometheus, configured only by deploy/prometheus (its scrape config,
 * with the ports of this run) plus a rule that fires, uses Tocsin's gateway as its Alertmanager and
 * remote_write target. The live job runs on a MiniCluster against an in-JVM broker. Proven: the
 * rule's alert becomes an incident on the incident-events topic and a page on the pages topic; the
 * remote-written series reaches the anomaly operator (its counter, scraped from Flink's Prometheus
 * reporter by the same Prometheus, rises); amtool adds a silence through the gateway and the
 * alert's next transition is marked suppressed by it; Tocsin's own alert rules load and evaluate,
 * and every metric they name is exported. No timing is asserted: the waits are generous so a
 * watermark that trails the clock by tens of seconds passes as well as one that follows it.
 */
class GatewayPrometheusITCase {

    static final int FLINK_METRICS_PORT = DebianTools.freePort();

    @RegisterExtension
    @Order(1)
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(
                                    PrometheusReporter.configure(
                                            new Configuration(),
                                            Integer.toString(FLINK_METRICS_PORT)))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @RegisterExtension
    @Order(2)
    static final InJvmKafka KAFKA = new InJvmKafka();

    static final Duration WAIT = Duration.ofMinutes(4);
    static final String ALERT = "CheckoutLatencyHigh";

    /** A rule that fires for 20 s and rests for 20 s, so the alert keeps making transitions. */
    static final String RULES =
            """
            groups:
              - name: e2e
                interval: 1s
                rules:
                  - alert: CheckoutLatencyHigh
                    expr: (vector(time()) % 40) < 20
                    labels: {severity: critical, service: checkout}
                    annotations: {summary: "checkout p99 latency above target"}
            """;

    static final String POLICY =
            """
            ingest: {maxOutOfOrderness: 1s, idleTimeout: 1s}
            dedupe: {flapThreshold: 1000, flapWindow: 10m}
            escalation:
              targets:
                primary: {person: alice, routingKey: RK-CHECKOUT}
              chains:
                - id: default
                  tiers:
                    - {target: primary, timeout: 1h}
            """;

    @Test
    void prometheusPagesThroughTocsinAndAmtoolSilencesIt() throws Exception {
        Path prometheus = DebianTools.find("prometheus");
        Path promtool = DebianTools.find("promtool");
        Path amtool = DebianTools.find("amtool");
        if (prometheus == null || promtool == null || amtool == null) {
            String msg =
                    "\n\n*** SKIPPED: GatewayPrometheusITCase needs Debian's prometheus and"
                            + " prometheus-alertmanager (amtool); ./tocsin test installs them with"
                            + " apt-get, which was not possible here. Found: prometheus="
                            + prometheus
                            + " promtool="
                            + promtool
                            + " amtool="
                            + amtool
                            + " ***\n";
            System.err.println(msg);
            Assumptions.abort(msg);
        }
        for (Topics t : Topics.all()) {
            KAFKA.createTopics(t.partitions(), t.name());
        }
        Policy policy =
                PolicyLoader.parse(
                        "policy.yaml",
                        new ByteArrayInputStream(POLICY.getBytes(StandardCharsets.UTF_8)));
        Path home = Path.of(System.getProperty("tocsin.home", ".."));
        Path dir = Files.createTempDirectory("tocsin-prometheus-it");

        GatewayConfig config =
                GatewayConfig.local(
                                KAFKA.bootstrapServers(),
                                GatewayConfig.TopicNames.defaults(),
                                policy)
                        .withAllowList(SeriesAllowList.parse(List.of("up")));
        CollectingSinks collected = new CollectingSinks();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new TocsinJob(
                        new KafkaSources(
                                        KAFKA.bootstrapServers(),
                                        Topics.ALERTS.name(),
                                        "e2e",
                                        false)
                                .withTelemetry(Topics.TELEMETRY.name())
                                .withCommands(Topics.COMMANDS.name()),
                        new KafkaAndCollectingSinks(
                                new LiveSinks(
                                        KAFKA.bootstrapServers(),
                                        "e2e",
                                        null,
                                        policy.correlation().domainLabel()),
                                collected),
                        policy,
                        Topology.empty(),
                        new TocsinJob.Settings("tocsin-e2e", 2, Duration.ofSeconds(1)))
                .build(env);
        JobClient job = env.executeAsync("tocsin-e2e");
        Process prom = null;
        try (Gateway gateway = Gateway.start(config, new PrometheusRegistry(), true)) {
            // A record the job must dead-letter, so the dead-letters-by-reason series exists, and
            // one the gateway refuses, so its rejected series does.
            produce(Topics.ALERTS.name(), "{not json");
            Http.Answer refused = Http.post(gateway.uri(), "/api/v2/alerts", "[{\"labels\":{}}]");
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.body()).contains("[0].labels: empty");

            int promPort = DebianTools.freePort();
            String gw = "127.0.0.1:" + gateway.port();
            String yml =
                    Files.readString(home.resolve("deploy/prometheus/prometheus.yml"))
                            .replace("127.0.0.1:9095", gw)
                            .replace("127.0.0.1:9249", "127.0.0.1:" + FLINK_METRICS_PORT)
                            .replace("127.0.0.1:9090", "127.0.0.1:" + promPort)
                            .replace("interval: 15s", "interval: 1s")
                            .replace("batch_send_deadline: 5s", "batch_send_deadline: 1s")
                            .replace(
                                    "  - tocsin-rules.yml\n",
                                    "  - tocsin-rules.yml\n  - e2e-rules.yml\n");
            assertThat(yml).contains(gw).contains("e2e-rules.yml");
            Files.writeString(dir.resolve("prometheus.yml"), yml);
            Files.copy(
                    home.resolve("deploy/prometheus/tocsin-rules.yml"),
                    dir.resolve("tocsin-rules.yml"));
            Files.writeString(dir.resolve("e2e-rules.yml"), RULES);
            var check =
                    DebianTools.run(
                            List.of(
                                    promtool.toString(),
                                    "check",
                                    "config",
                                    dir.resolve("prometheus.yml").toString()),
                            60);
            assertThat(check.exit()).as(check.output()).isZero();

            prom =
                    new ProcessBuilder(
                                    prometheus.toString(),
                                    "--config.file=" + dir.resolve("prometheus.yml"),
                                    "--storage.tsdb.path=" + dir.resolve("data"),
                                    "--web.listen-address=127.0.0.1:" + promPort,
                                    "--rules.alert.resend-delay=1s",
                                    "--log.level=warn")
                            .redirectErrorStream(true)
                            .redirectOutput(dir.resolve("prometheus.log").toFile())
                            .start();
            URI promUri = URI.create("http://127.0.0.1:" + promPort);
            await(
                    "Prometheus ready",
                    () -> Http.get(promUri, "/-/ready").status() == 200,
                    Duration.ofMinutes(1));

            // 1. The firing rule becomes an incident and a page.
            try (KafkaConsumer<byte[], byte[]> events = consumer(Topics.INCIDENT_EVENTS.name());
                    KafkaConsumer<byte[], byte[]> pages = consumer(Topics.PAGES.name())) {
                IncidentEvent opened =
                        decodeEvent(
                                awaitRecord(
                                        events,
                                        r -> {
                                            IncidentEvent e = decodeEvent(r);
                                            return e.getType() == IncidentEventType.OPENED
                                                    && e.getServices().contains("checkout");
                                        }));
                JsonNode page =
                        Reply.JSON.readTree(
                                awaitRecord(
                                                pages,
                                                r ->
                                                        new String(
                                                                        r.value(),
                                                                        StandardCharsets.UTF_8)
                                                                .contains("RK-CHECKOUT"))
                                        .value());
                assertThat(page.get("dedup_key").asText()).isEqualTo(opened.getIncidentId());
                assertThat(page.get("event_action").asText()).isEqualTo("trigger");
            }
            Alert first =
                    collected.transitions().stream()
                            .filter(a -> ALERT.equals(a.getLabels().get("alertname")))
                            .findFirst()
                            .orElseThrow();
            assertThat(first.getSuppressed()).isFalse();
            assertThat(first.getLabels()).containsEntry("service", "checkout");

            // 2. amtool adds a silence through the gateway; the alert's next transition is muted.
            String url = "--alertmanager.url=http://" + gw;
            Instant silencedAt = Instant.now();
            var add =
                    DebianTools.run(
                            List.of(
                                    amtool.toString(),
                                    url,
                                    "silence",
                                    "add",
                                    "alertname=" + ALERT,
                                    "--author=e2e-oncall",
                                    "--comment=checkout deploy",
                                    "--duration=1h"),
                            60);
            assertThat(add.exit()).as(add.output()).isZero();
            // amtool warns first that the server's version is not its own; the ID is the last line.
            String silenceId = add.output().trim().replaceAll("(?s).*\n", "");
            assertThat(silenceId).matches("[0-9a-f-]{36}");
            var query = DebianTools.run(List.of(amtool.toString(), url, "silence", "query"), 60);
            assertThat(query.exit()).as(query.output()).isZero();
            assertThat(query.output())
                    .contains(silenceId)
                    .contains("e2e-oncall")
                    .contains("checkout deploy");
            await(
                    "a transition of " + ALERT + " suppressed by silence " + silenceId,
                    () ->
                            collected.transitions().stream()
                                    .anyMatch(
                                            a ->
                                                    ALERT.equals(a.getLabels().get("alertname"))
                                                            && a.getSuppressed()
                                                            && ("silence:" + silenceId)
                                                                    .equals(a.getSuppressedBy())
                                                            && !a.getReceivedAt()
                                                                    .isBefore(silencedAt)),
                    WAIT);

            // 3. The remote-written series reaches the telemetry topic and the anomaly operator.
            // The live job appends heartbeats (empty records) to its input topics: skip them.
            try (KafkaConsumer<byte[], byte[]> telemetry = consumer(Topics.TELEMETRY.name())) {
                MetricPoint up =
                        MetricPoint.getDecoder()
                                .decode(
                                        awaitRecord(telemetry, r -> !Heartbeats.isHeartbeat(r))
                                                .value());
                assertThat(up.getMetric()).isEqualTo("up");
            }
            await(
                    "anomaly points scored, scraped from the job by Prometheus",
                    () ->
                            value(
                                            promUri,
                                            "sum(flink_taskmanager_job_task_operator_tocsin_anomaly_points_scored)")
                                    > 0,
                    WAIT);

            // 4. Tocsin's own rules evaluate, and every metric they name is exported.
            await("Tocsin's rules evaluated without error", () -> rulesHealthy(promUri), WAIT);
            Set<String> named =
                    metricNames(
                            Files.readString(home.resolve("deploy/prometheus/tocsin-rules.yml")));
            // The Grafana dashboard's live panels: each query is valid PromQL here, and names
            // only exported series.
            JsonNode dashboard =
                    Reply.JSON.readTree(
                            home.resolve("deploy/grafana/tocsin-analytics.json").toFile());
            int liveQueries = 0;
            for (JsonNode panel : dashboard.path("panels")) {
                if (!panel.path("datasource").path("type").asText().equals("prometheus")) {
                    continue;
                }
                for (JsonNode target : panel.path("targets")) {
                    String expr = target.path("expr").asText();
                    JsonNode answer =
                            Reply.JSON.readTree(
                                    Http.get(
                                                    promUri,
                                                    "/api/v1/query?query="
                                                            + URLEncoder.encode(
                                                                    expr, StandardCharsets.UTF_8))
                                            .body());
                    assertThat(answer.path("status").asText())
                            .as(panel.path("title").asText() + ": " + expr + " -> " + answer)
                            .isEqualTo("success");
                    named.addAll(metricNames(expr));
                    liveQueries++;
                }
            }
            assertThat(liveQueries).isGreaterThan(10);
            named.removeIf(n -> n.contains("tocsin_clickhouse_")); // this job writes no ClickHouse
            Set<String> missing = new TreeSet<>(named);
            long until = System.nanoTime() + WAIT.toNanos();
            while (!missing.isEmpty() && System.nanoTime() < until) {
                for (String name : List.copyOf(missing)) {
                    if (value(promUri, "count({__name__=\"" + name + "\"})") > 0) {
                        missing.remove(name);
                    }
                }
                Thread.sleep(1000);
            }
            assertThat(missing).as("metrics named by tocsin-rules.yml but not exported").isEmpty();
            assertThat(named).hasSizeGreaterThan(10);
            assertThat(value(promUri, "sum(tocsin_gateway_alerts_accepted_total)")).isPositive();
            assertThat(value(promUri, "sum(up{job=~\"tocsin-.*\"})")).isEqualTo(2);
            // For the record (no assertion on timing): how this run's job and gateway looked.
            System.out.printf(
                    "observed: watermark lag %.1f s, end-to-end p99 %.0f ms, open incidents %.0f,"
                            + " gateway p99 %.4f s%n",
                    value(promUri, "max(tocsin:watermark_lag_seconds)"),
                    value(promUri, "max(tocsin:end_to_end_latency_ms:p99)"),
                    value(promUri, "sum(tocsin:incidents_open)"),
                    value(promUri, "max(tocsin:gateway_request_seconds:p99{handler=\"alerts\"})"));
            Files.writeString(
                    Path.of("target", "exported-metric-names.txt"),
                    String.join("\n", exportedNames(promUri)) + "\n");

            // 5. amtool expires it; it is no longer active.
            var expire =
                    DebianTools.run(
                            List.of(amtool.toString(), url, "silence", "expire", silenceId), 60);
            assertThat(expire.exit()).as(expire.output()).isZero();
            var after =
                    DebianTools.run(List.of(amtool.toString(), url, "silence", "query", "-q"), 60);
            assertThat(after.output()).doesNotContain(silenceId);
            var expired =
                    DebianTools.run(
                            List.of(amtool.toString(), url, "silence", "query", "--expired", "-q"),
                            60);
            assertThat(expired.output()).contains(silenceId);
        } finally {
            if (prom != null) {
                prom.destroy();
                if (!prom.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    prom.destroyForcibly();
                }
            }
            job.cancel().get();
        }
    }

    private static void produce(String topic, String value) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", KAFKA.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, value.getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", KAFKA.bootstrapServers());
        p.put("enable.auto.commit", "false");
        p.put("isolation.level", "read_committed");
        KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        c.partitionsFor(topic, Duration.ofSeconds(10))
                .forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
        c.assign(parts);
        c.seekToBeginning(parts);
        return c;
    }

    private static ConsumerRecord<byte[], byte[]> awaitRecord(
            KafkaConsumer<byte[], byte[]> c, Predicate<ConsumerRecord<byte[], byte[]>> wanted) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                if (wanted.test(r)) {
                    return r;
                }
            }
        }
        throw new AssertionError("no wanted record within " + WAIT);
    }

    private static IncidentEvent decodeEvent(ConsumerRecord<byte[], byte[]> r) {
        try {
            return IncidentEvent.getDecoder().decode(r.value());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(String what, Condition c, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (c.holds()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("not within " + timeout + ": " + what, last);
    }

    /** The value of an instant query with one result, or -1 when it has none. */
    private static double value(URI prom, String promql) throws Exception {
        JsonNode r =
                Reply.JSON.readTree(
                        Http.get(
                                        prom,
                                        "/api/v1/query?query="
                                                + URLEncoder.encode(promql, StandardCharsets.UTF_8))
                                .body());
        JsonNode result = r.path("data").path("result");
        if (result.size() != 1) {
            return -1;
        }
        return Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    /** All rules of Tocsin's groups evaluated at least once and healthy. */
    private static boolean rulesHealthy(URI prom) throws Exception {
        JsonNode groups =
                Reply.JSON
                        .readTree(Http.get(prom, "/api/v1/rules").body())
                        .path("data")
                        .path("groups");
        int rules = 0;
        for (JsonNode g : groups) {
            if (!g.path("name").asText().startsWith("tocsin-")) {
                continue;
            }
            for (JsonNode rule : g.path("rules")) {
                rules++;
                if (!rule.path("health").asText().equals("ok")) {
                    if (!rule.path("lastError").asText().isEmpty()) {
                        throw new AssertionError(
                                "rule " + rule.path("name") + ": " + rule.path("lastError"));
                    }
                    return false;
                }
            }
        }
        return rules > 10;
    }

    /** The metric names an expression file uses (flink_* and tocsin_*, not recorded tocsin:*). */
    static Set<String> metricNames(String rules) {
        Set<String> out = new TreeSet<>();
        String code = rules.replaceAll("(?m)^\\s*#.*$", "");
        Matcher m = Pattern.compile("\\b((?:flink|tocsin)_[a-zA-Z0-9_]+)").matcher(code);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static List<String> exportedNames(URI prom) throws Exception {
        JsonNode names =
                Reply.JSON
                        .readTree(Http.get(prom, "/api/v1/label/__name__/values").body())
                        .path("data");
        List<String> out = new ArrayList<>();
        for (JsonNode n : names) {
            String s = n.asText();
            if (s.contains("tocsin")
                    || s.startsWith("flink_jobmanager_job_") && s.contains("heckpoint")) {
                out.add(s);
            }
        }
        return out;
    }
}
