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
        Path policy = Files.writeString(dir.resolve("policy.yaml"), CrashStorm.policyYaml());
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
                                                CLUSTER.awaitAllRunning(job, Duration.ofMinutes(3));
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
            assertThat(opened)
                    .as("the MiniCluster run opened the demo's incidents")
                    .isGreaterThan(1);
            assertThat(got.keySet())
                    .as("(incidentId, seq) on the cluster, after the TaskManager kill")
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
     * Sends the storm to both jobs' topics at its times from {@code start} (an acknowledgement
     * names the reference's incident, as a responder would), and calls {@code kill} at {@link
     * #KILL_AT}.
     */
    private CompletableFuture<Void> replay(CrashStorm storm, Instant start, Kill kill)
            throws Exception {
        CompletableFuture<Void> restarted = null;
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
                if (s.acknowledge()) {
                    String id = awaitOpened(s.service());
                    send(
                            producer,
                            "commands",
                            id,
                            LiveCrashRecoveryITCase.acknowledgement(id, at),
                            at);
                } else {
                    send(
                            producer,
                            "alerts",
                            s.service(),
                            LiveCrashRecoveryITCase.resolveStart(s.json(), start),
                            at);
                }
                producer.flush();
            }
        }
        return Objects.requireNonNull(restarted, "the storm never reached the kill time");
    }

    /** The id of the reference's incident rooted at {@code service}, once it is committed. */
    private static String awaitOpened(String service) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (List<byte[]> copies : eventsByKey("ref.").values()) {
                IncidentEvent e = decode(copies.get(0));
                if (e.getType() == IncidentEventType.OPENED
                        && service.equals(e.getRootCauseService())) {
                    return e.getIncidentId();
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the reference opened no incident rooted at " + service);
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
