package io.tocsin.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.testing.LocalFlinkCluster;
import io.tocsin.testing.LocalKafkaBroker;
import io.tocsin.testing.TocsinProcess;
import io.tocsin.testing.TopicReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live job on a real Flink session cluster ({@code ./tocsin cluster}: a JobManager and two
 * TaskManagers, separate JVMs, at parallelism 4) gives the incidents the same job gives on a local
 * MiniCluster ({@code tocsin run}, also at parallelism 4), and survives losing a TaskManager. The
 * live storm of the crash test ({@link CrashStorm}: a cascade, escalations by timeout, an
 * acknowledgement) goes through the project's local broker into both jobs' topics, same bytes,
 * timestamps and partitions. At 38 s, while incidents are open and a page is due at 47 s, the
 * TaskManager that holds the correlate stage's state is killed with SIGKILL and a new one started 2
 * s later; the job restores from its last checkpoint, and its committed incident events and pages
 * (exactly-once delivery) must be the MiniCluster's, byte for byte, each once, with the incidents
 * open at the kill carried on under the same ids.
 */
class ClusterFailoverITCase {

    @RegisterExtension static final LocalKafkaBroker KAFKA = new LocalKafkaBroker();
    @RegisterExtension static final LocalFlinkCluster CLUSTER = new LocalFlinkCluster();

    private static final int PARTITIONS = 4;
    private static final int PARALLELISM = 4;

    /** Seconds into the storm: the db and search incidents are open, search's tier 1 due at 47. */
    private static final double KILL_AT = CrashStorm.LONG_OUTAGE_AT;

    @TempDir Path dir;

    @Test
    void theClusterMatchesTheMiniClusterAndSurvivesATaskManagerKill() throws Exception {
        CrashStorm storm = new CrashStorm(1);
        // A live lag far above the default 50 ms: the test's feeder on a loaded 2-core machine
        // falls seconds behind its schedule, and a record written after its job's watermark
        // passed its time is late (handled at once, out of order) in each job at a different
        // point, as their heartbeats differ. Within the lag, both jobs sort it into place.
        String policyYaml =
                CrashStorm.policyYaml()
                        .replace(
                                "ingest: {maxOutOfOrderness: 2s}",
                                "ingest: {maxOutOfOrderness: 2s, liveLag: 30s}");
        assertThat(policyYaml).contains("liveLag: 30s");
        Path policy = Files.writeString(dir.resolve("policy.yaml"), policyYaml);
        Path topology = Files.writeString(dir.resolve("topology.json"), storm.topologyJson());
        KAFKA.createTopics("ref.", PARTITIONS);
        KAFKA.createTopics("cl.", PARTITIONS);

        TocsinProcess reference =
                new TocsinProcess(
                        dir.resolve("ref"),
                        runArgs("ref", policy, topology, dir.resolve("ref").toUri() + "ckpt"));
        try {
            reference.start(Duration.ofMinutes(2));
            String job =
                    CLUSTER.submit(
                            PARALLELISM, List.of("--fresh"), runArgs("cl", policy, topology, null));
            CLUSTER.awaitAllRunning(job, Duration.ofMinutes(2));

            Thread.sleep(6_000); // past the sources' start-up grace: time follows the clock
            // The correlate stage is keyed by partition; the policy has one ("default"):
            // the TaskManager that runs its subtask holds every open incident.
            int subtask =
                    KeyGroupRangeAssignment.assignKeyToParallelOperator(
                            "default", TocsinJob.MAX_PARALLELISM, PARALLELISM);
            String victim = CLUSTER.taskManagerOf(job, "correlate", subtask);
            assertThat(victim).matches("tm-[12]");
            long victimPid = CLUSTER.taskManagerPid(Integer.parseInt(victim.substring(3)));
            System.out.printf(
                    "ClusterFailoverITCase: job %s; correlate subtask %d of key 'default' on %s"
                            + " (pid %d)%n",
                    job, subtask, victim, victimPid);

            long[] recovery = new long[1];
            Instant start = Instant.now().plusSeconds(1);
            CompletableFuture<Void> restarted =
                    replay(
                            storm,
                            start,
                            () -> {
                                long killedAt = System.nanoTime();
                                ProcessHandle.of(victimPid)
                                        .orElseThrow()
                                        .destroyForcibly(); // SIGKILL
                                return CompletableFuture.runAsync(
                                        () -> {
                                            try {
                                                Thread.sleep(2_000);
                                                CLUSTER.startTaskManager();
                                                CLUSTER.awaitAllRunning(job, Duration.ofMinutes(6));
                                                recovery[0] =
                                                        (System.nanoTime() - killedAt) / 1_000_000;
                                            } catch (Exception e) {
                                                throw new IllegalStateException(e);
                                            }
                                        });
                            });
            restarted.get();
            System.out.printf(
                    "ClusterFailoverITCase: SIGKILL of %s to every task running again: %d ms"
                            + " (a new TaskManager started 2 s after the kill)%n",
                    victim, recovery[0]);

            // It restored from a checkpoint (not from scratch, not from a savepoint).
            JsonNode restored = CLUSTER.get("/jobs/" + job + "/checkpoints").path("latest");
            assertThat(
                            restored.path("restored").isMissingNode()
                                    || restored.path("restored").isNull())
                    .as("the job restored from a checkpoint: %s", restored)
                    .isFalse();
            assertThat(restored.path("restored").path("is_savepoint").asBoolean()).isFalse();

            // Both are done when every incident of the reference is resolved and the cluster's
            // job has the same events; then let stragglers in.
            Map<String, List<byte[]>> ref = Map.of();
            Map<String, List<byte[]>> got = Map.of();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < deadline) {
                Thread.sleep(3_000);
                ref = eventsByKey("ref.");
                got = eventsByKey("cl.");
                if (count(ref, IncidentEventType.RESOLVED) == 3
                        && got.keySet().containsAll(ref.keySet())) {
                    Thread.sleep(5_000);
                    ref = eventsByKey("ref.");
                    got = eventsByKey("cl.");
                    break;
                }
            }

            long opened = count(ref, IncidentEventType.OPENED);
            assertThat(count(ref, IncidentEventType.ACKNOWLEDGED))
                    .as("the reference acknowledged the database incident (its id was right)")
                    .isEqualTo(1);
            assertThat(opened)
                    .as("the MiniCluster run opened the demo's incidents")
                    .isGreaterThan(1);
            assertThat(got.keySet())
                    .as(
                            "(incidentId, seq) on the cluster, after the TaskManager kill;"
                                    + " the differing incidents' events:%n%s",
                            differences(ref, got))
                    .isEqualTo(ref.keySet());
            for (var e : got.entrySet()) {
                assertThat(e.getValue())
                        .as("%s delivered once (exactly-once)", e.getKey())
                        .hasSize(1);
                assertThat(e.getValue().get(0))
                        .as("%s: %s", e.getKey(), decode(e.getValue().get(0)))
                        .isEqualTo(ref.get(e.getKey()).get(0));
            }

            // The incidents open at the kill went on under their ids: no second OPENED for them,
            // and events after the kill (in storm time) belong to incidents opened before it.
            Instant killTime = start.plusMillis(Math.round(KILL_AT * 1000));
            List<String> openAtKill = new ArrayList<>();
            for (var e : got.values()) {
                IncidentEvent ev = decode(e.get(0));
                if (ev.getType() == IncidentEventType.OPENED
                        && ev.getEventTime().isBefore(killTime)) {
                    String id = ev.getIncidentId();
                    boolean continued =
                            got.values().stream()
                                    .map(c -> decode(c.get(0)))
                                    .anyMatch(
                                            x ->
                                                    x.getIncidentId().equals(id)
                                                            && x.getEventTime().isAfter(killTime));
                    if (continued) {
                        openAtKill.add(id);
                    }
                }
            }
            assertThat(openAtKill)
                    .as("incidents opened before the kill with events after it")
                    .isNotEmpty();
            assertThat(count(got, IncidentEventType.OPENED)).isEqualTo(opened);

            Map<String, List<String>> refPages = pages("ref.");
            Map<String, List<String>> gotPages = pages("cl.");
            assertThat(gotPages.keySet()).isEqualTo(refPages.keySet());
            assertThat(gotPages.values()).allMatch(copies -> copies.size() == 1);
            System.out.printf(
                    "ClusterFailoverITCase: %d incidents, %d events, %d pages, equal to the"
                            + " MiniCluster's, each once; open at the kill and carried on: %s%n",
                    opened, got.size(), gotPages.size(), openAtKill);
        } finally {
            reference.stop();
            keepLogs(dir.resolve("ref/.local/logs"), "reference");
            keepLogs(dir.resolve("ref"), "reference");
            keepLogs(CLUSTER.localDir().resolve("logs"), "cluster");
        }
    }

    /** The processes' logs, for a failure's post-mortem: under jobs/target/cluster-itcase/. */
    private static void keepLogs(Path from, String name) throws IOException {
        Path to = Path.of("target", "cluster-itcase", name);
        Files.createDirectories(to);
        if (Files.isDirectory(from)) {
            try (var files = Files.list(from)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(
                            f,
                            to.resolve(f.getFileName()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static List<String> runArgs(String name, Path policy, Path topology, String ckpt) {
        List<String> args = new ArrayList<>();
        if (ckpt != null) {
            args.add("run");
        }
        args.addAll(
                List.of(
                        "--kafka",
                        KAFKA.bootstrapServers(),
                        "--clickhouse",
                        "none",
                        "--policy",
                        policy.toString(),
                        "--topology",
                        topology.toString(),
                        "--group-id",
                        name,
                        "--topic-prefix",
                        name + ".",
                        "--checkpoint-interval",
                        "2s",
                        "--delivery",
                        "exactly-once"));
        if (ckpt != null) {
            // The same parallelism as on the cluster: the same source splits per subtask.
            args.addAll(List.of("--checkpoint-dir", ckpt, "--parallelism", "" + PARALLELISM));
        }
        return args;
    }

    interface Kill {
        CompletableFuture<Void> now() throws Exception;
    }

    /**
     * Sends the storm to both jobs' topics at its times from {@code start}, and calls {@code kill}
     * at {@link #KILL_AT}. Prints how far the sends fell behind their times: a record written more
     * than the live lag after its timestamp is late in both jobs.
     */
    private CompletableFuture<Void> replay(CrashStorm storm, Instant start, Kill kill)
            throws Exception {
        CompletableFuture<Void> restarted = null;
        long behind = 0;
        double worstAt = 0;
        Map<String, Instant> firstSent = new java.util.HashMap<>();
        Properties p = new Properties();
        p.put("bootstrap.servers", KAFKA.bootstrapServers());
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", "0");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (CrashStorm.Send s : storm.sends()) {
                if (restarted == null && s.at() >= KILL_AT) {
                    sleepUntil(start.plusMillis(Math.round(KILL_AT * 1000)));
                    restarted = kill.now();
                }
                Instant at = start.plusMillis(Math.round(s.at() * 1000));
                sleepUntil(at);
                // Stamped when it is written, as a real sender's record is: a feeder that falls
                // behind its schedule shifts the storm for both jobs alike.
                Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
                long late = Duration.between(at, now).toMillis();
                if (late > behind) {
                    behind = late;
                    worstAt = s.at();
                }
                if (s.acknowledge()) {
                    String id = storm.incidentOpenedBy(s.service(), firstSent.get(s.service()));
                    send(
                            producer,
                            "commands",
                            id,
                            LiveCrashRecoveryITCase.acknowledgement(id, now),
                            now);
                } else {
                    firstSent.putIfAbsent(s.service(), now);
                    send(
                            producer,
                            "alerts",
                            s.service(),
                            LiveCrashRecoveryITCase.resolveStart(s.json(), start),
                            now);
                }
                producer.flush();
            }
        }
        System.out.printf(
                "ClusterFailoverITCase: the storm's sends were at most %d ms behind their times"
                        + " (at %.2f s)%n",
                behind, worstAt);
        return Objects.requireNonNull(restarted, "the storm never reached the kill time");
    }

    private static void sleepUntil(Instant t) throws InterruptedException {
        long ms = Duration.between(Instant.now(), t).toMillis();
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }

    /** To both prefixes, the same partition (by key), timestamp and bytes. */
    private static void send(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            String key,
            String value,
            Instant at) {
        int partition = Math.floorMod(key.hashCode(), PARTITIONS);
        for (String prefix : List.of("ref.", "cl.")) {
            producer.send(
                    new ProducerRecord<>(
                            prefix + topic,
                            partition,
                            at.toEpochMilli(),
                            key.getBytes(StandardCharsets.UTF_8),
                            value.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static Map<String, List<byte[]>> eventsByKey(String prefix) {
        Map<String, List<byte[]>> out = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r :
                TopicReader.readAll(KAFKA.bootstrapServers(), prefix + "incident-events")) {
            IncidentEvent e = decode(r.value());
            out.computeIfAbsent(e.getIncidentId() + "/" + e.getSeq(), k -> new ArrayList<>())
                    .add(r.value());
        }
        return out;
    }

    private static Map<String, List<String>> pages(String prefix) {
        Map<String, List<String>> out = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r :
                TopicReader.readAll(KAFKA.bootstrapServers(), prefix + "pages")) {
            String text = new String(r.value(), StandardCharsets.UTF_8);
            out.computeIfAbsent(text, k -> new ArrayList<>()).add(text);
        }
        return out;
    }

    /**
     * For a failure's message: every event of each incident whose events differ between the
     * reference and the cluster, side by side in sequence order.
     */
    private static String differences(
            Map<String, List<byte[]>> ref, Map<String, List<byte[]>> got) {
        java.util.Set<String> incidents = new java.util.TreeSet<>();
        for (String k : ref.keySet()) {
            if (!got.containsKey(k)) {
                incidents.add(k.substring(0, k.indexOf('/')));
            }
        }
        for (String k : got.keySet()) {
            if (!ref.containsKey(k)) {
                incidents.add(k.substring(0, k.indexOf('/')));
            }
        }
        StringBuilder b = new StringBuilder();
        for (String id : incidents) {
            b.append(describe("reference", id, ref)).append(describe("cluster", id, got));
        }
        return b.toString();
    }

    private static String describe(String side, String id, Map<String, List<byte[]>> events) {
        StringBuilder b = new StringBuilder(side).append(' ').append(id).append(":%n");
        events.values().stream()
                .map(c -> decode(c.get(0)))
                .filter(e -> e.getIncidentId().equals(id))
                .sorted(java.util.Comparator.comparingLong(IncidentEvent::getSeq))
                .forEach(
                        e ->
                                b.append(
                                        String.format(
                                                "  %d %s at %s by %s: %s (%s)%n",
                                                e.getSeq(),
                                                e.getType(),
                                                e.getEventTime(),
                                                e.getActor(),
                                                e.getReason(),
                                                e.getAlertService())));
        return b.toString().replace("%n", System.lineSeparator());
    }

    private static long count(Map<String, List<byte[]>> events, IncidentEventType type) {
        return events.values().stream().filter(c -> decode(c.get(0)).getType() == type).count();
    }

    private static IncidentEvent decode(byte[] bytes) {
        try {
            return IncidentEvent.getDecoder().decode(ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
