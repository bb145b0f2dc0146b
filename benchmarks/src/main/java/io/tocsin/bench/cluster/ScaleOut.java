package io.tocsin.bench.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sustained notifications/s of the live job on the local Flink session cluster at parallelism 1, 2
 * and 4, and on a local MiniCluster at 4, over the same backlog: N Alertmanager notifications
 * (re-sends of a fixed set of alerts) preloaded into an alerts topic of 8 partitions, read by the
 * job in replay mode (event time from the records). Two shapes: many correlation partitions (the
 * {@code cluster} label takes 64 values and is the policy's partitionLabel) and one hot partition
 * (every alert in one). The rate is the dedupe stage's input (every notification passes it; a
 * slower stage behind it holds it back by backpressure), from its first record to the last.
 */
public final class ScaleOut {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern SUBMITTED = Pattern.compile("submitted job ([0-9a-f]{32})");
    private static final Pattern RUNNING =
            Pattern.compile("run: job ([0-9a-f]{32}) running \\(REST (http://[0-9.:]+),");

    private ScaleOut() {}

    public static void main(String[] args) throws Exception {
        String kafka = arg(args, "--kafka", "127.0.0.1:9092");
        Path root = Path.of(arg(args, "--root", "."));
        int n = Integer.parseInt(arg(args, "--notifications", "200000"));
        Path work = Path.of(arg(args, "--work", ".local/bench-cluster"));
        Files.createDirectories(work);
        Path policy = work.resolve("policy.yaml");
        try (InputStream in =
                ScaleOut.class.getClassLoader().getResourceAsStream("policy/default.yaml")) {
            String p = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.contains("partitionLabel: \"\"")) {
                throw new IllegalStateException("policy/default.yaml has no partitionLabel line");
            }
            // The unused inputs (telemetry, commands) must not hold event time back for long:
            // the backlog has no gaps, so a partition quiet for 1 s is done.
            p = p.replace("partitionLabel: \"\"", "partitionLabel: cluster");
            p = p.replaceFirst("idleTimeout: \\S+", "idleTimeout: 1s");
            Files.writeString(policy, p);
        }
        String stamp = Long.toString(System.currentTimeMillis(), 36);
        List<String> rows = new ArrayList<>();
        for (String shape : List.of("many", "hot")) {
            String base = "bench-" + stamp + "-" + shape;
            preload(kafka, base + ".", n, shape.equals("many") ? 64 : 1);
            for (int p : new int[] {1, 2, 4}) {
                rows.add(onCluster(root, kafka, policy, base, shape, p, n));
                System.out.println("row " + rows.get(rows.size() - 1));
            }
            rows.add(onMiniCluster(root, kafka, policy, work, base, shape, 4, n));
            System.out.println("row " + rows.get(rows.size() - 1));
        }
        System.out.println();
        System.out.println(
                "| shape | where | parallelism | notifications | seconds | notifications/s |");
        System.out.println("|---|---|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
    }

    private static String onCluster(
            Path root, String kafka, Path policy, String base, String shape, int p, int n)
            throws Exception {
        String group = base + "-c" + p;
        String out =
                sh(
                        root,
                        "bash",
                        root.resolve("deploy/cluster/cluster.sh").toString(),
                        "submit",
                        "--fresh",
                        "--parallelism",
                        "" + p,
                        "--",
                        "--replay",
                        "--kafka",
                        kafka,
                        "--clickhouse",
                        "none",
                        "--policy",
                        policy.toAbsolutePath().toString(),
                        "--group-id",
                        group,
                        "--topic-prefix",
                        base + ".");
        Matcher m = SUBMITTED.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException(out);
        }
        String rest =
                sh(root, "bash", root.resolve("deploy/cluster/cluster.sh").toString(), "rest")
                        .strip();
        double[] r = measure(rest, m.group(1), n);
        sh(
                root,
                "bash",
                root.resolve("deploy/cluster/cluster.sh").toString(),
                "cancel",
                m.group(1));
        return row(shape, "cluster (3 JVMs)", p, r);
    }

    private static String onMiniCluster(
            Path root,
            String kafka,
            Path policy,
            Path work,
            String base,
            String shape,
            int p,
            int n)
            throws Exception {
        Path log = work.resolve(base + "-mini.log");
        List<String> cmd = new ArrayList<>();
        cmd.add("java");
        cmd.addAll(List.of(opens(root).split(" ")));
        cmd.addAll(
                List.of(
                        "-Xmx2g",
                        "-Dlog4j.configurationFile=log4j2-cli.properties",
                        "-Dtocsin.logdir=" + work.toAbsolutePath(),
                        "-jar",
                        root.resolve("jobs/target/tocsin-jobs.jar").toString(),
                        "run",
                        "--replay",
                        "--fresh",
                        "--kafka",
                        kafka,
                        "--clickhouse",
                        "none",
                        "--policy",
                        policy.toAbsolutePath().toString(),
                        "--group-id",
                        base + "-m" + p,
                        "--topic-prefix",
                        base + ".",
                        "--parallelism",
                        "" + p,
                        "--checkpoint-dir",
                        work.resolve(base + "-ckpt").toAbsolutePath().toUri().toString()));
        ProcessBuilder pb =
                new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("TOCSIN_HOME", work.toAbsolutePath().toString());
        pb.environment().put("TOCSIN_METRICS_PORT", "off");
        Process proc = pb.start();
        try {
            Matcher m = null;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (System.nanoTime() < deadline) {
                m = RUNNING.matcher(Files.readString(log));
                if (m.find()) {
                    break;
                }
                m = null;
                Thread.sleep(200);
            }
            if (m == null) {
                throw new IllegalStateException(
                        "tocsin run did not start: " + Files.readString(log));
            }
            return row(shape, "MiniCluster (1 JVM)", p, measure(m.group(2), m.group(1), n));
        } finally {
            proc.destroy();
            proc.waitFor(30, TimeUnit.SECONDS);
            proc.destroyForcibly();
        }
    }

    private static String row(String shape, String where, int p, double[] r) {
        return String.format(
                Locale.ROOT,
                "| %s | %s | %d | %,d | %.1f | %,.0f |",
                shape.equals("many") ? "64 partitions" : "1 hot partition",
                where,
                p,
                (long) r[0],
                r[1],
                r[0] / r[1]);
    }

    /**
     * {notifications, seconds}: from the dedupe stage's first record until it has read them all and
     * the stages behind it (suppress, correlate) have stopped receiving records.
     */
    private static double[] measure(String rest, String job, int n) throws Exception {
        String vertex = null;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        long first = 0;
        long last = 0;
        long count = 0;
        long downstream = 0;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            JsonNode j = get(rest + "/jobs/" + job);
            if (vertex == null) {
                for (JsonNode v : j.path("vertices")) {
                    if (v.path("name").asText().startsWith("dedupe")) {
                        vertex = v.path("id").asText();
                    }
                }
            }
            long c = 0;
            long behind = 0;
            for (JsonNode v : j.path("vertices")) {
                String name = v.path("name").asText();
                if (v.path("id").asText().equals(vertex)) {
                    c = v.path("metrics").path("read-records").asLong();
                } else if (name.startsWith("suppress") || name.startsWith("correlate")) {
                    behind += v.path("metrics").path("read-records").asLong();
                }
            }
            long now = System.nanoTime();
            if (c > 0 && first == 0) {
                first = now;
            }
            if (c > count || behind > downstream) {
                count = Math.max(count, c);
                downstream = Math.max(downstream, behind);
                last = now;
                lastChange = now;
            }
            boolean quiet = now - lastChange > TimeUnit.SECONDS.toNanos(count >= n ? 4 : 30);
            if (count > 0 && quiet) {
                break;
            }
            Thread.sleep(250);
        }
        return new double[] {count, Math.max(0.001, (last - first) / 1e9)};
    }

    private static void preload(String kafka, String prefix, int n, int partitions)
            throws Exception {
        Properties ap = new Properties();
        ap.put("bootstrap.servers", kafka);
        try (Admin admin = Admin.create(ap)) {
            List<NewTopic> topics = new ArrayList<>();
            for (String t :
                    List.of(
                            "alerts",
                            "telemetry",
                            "commands",
                            "changes",
                            "control",
                            "incident-events",
                            "pages",
                            "dead-letters",
                            "status-updates")) {
                topics.add(new NewTopic(prefix + t, t.equals("alerts") ? 8 : 4, (short) 1));
            }
            admin.createTopics(topics).all().get();
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka);
        p.put("linger.ms", "20");
        p.put("batch.size", "262144");
        p.put("compression.type", "lz4");
        Instant t0 = Instant.parse("2026-11-02T00:00:00Z");
        int alerts = 20_000;
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < n; i++) {
                int a = i % alerts;
                int part = a % partitions;
                String service = "svc-" + (a % 500);
                String name = "Alert" + (a / 500);
                Instant received = t0.plusMillis(i * 5L);
                Instant starts = t0.plusMillis(a * 5L);
                String json =
                        "{\"labels\":{\"alertname\":\""
                                + name
                                + "\",\"severity\":\""
                                + (a % 7 == 0 ? "critical" : "warning")
                                + "\",\"service\":\""
                                + service
                                + "\",\"cluster\":\"part-"
                                + part
                                + "\",\"instance\":\""
                                + service
                                + "-"
                                + (a % 3)
                                + ":9100\"},\"annotations\":{\"summary\":\"load test\"},"
                                + "\"startsAt\":\""
                                + starts
                                + "\",\"endsAt\":\"0001-01-01T00:00:00Z\",\"status\":\"firing\","
                                + "\"generatorURL\":\"http://prometheus/graph\",\"receivedAt\":\""
                                + received
                                + "\"}";
                producer.send(new ProducerRecord<>(prefix + "alerts", service + "/" + name, json));
            }
            producer.flush();
        }
        System.out.printf(
                "preloaded %,d notifications into %salerts (%d partitions of the cluster label)%n",
                n, prefix, partitions);
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(20))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private static String sh(Path root, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.directory(root.toFile());
        Process proc = pb.start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!proc.waitFor(5, TimeUnit.MINUTES) || proc.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + ":\n" + out);
        }
        return out;
    }

    private static String opens(Path root) throws Exception {
        Matcher m =
                Pattern.compile("<tocsin.jvm.opens>(.*)</tocsin.jvm.opens>")
                        .matcher(Files.readString(root.resolve("pom.xml")));
        return m.find() ? m.group(1) : "";
    }

    private static String arg(String[] args, String name, String def) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return def;
    }
}
