package io.tocsin.bench.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load client of the gateway benchmark, the same for Tocsin's gateway and for Alertmanager: N
 * threads (4), each posting batches of 64 Prometheus-shaped alerts to {@code POST /api/v2/alerts}
 * over one keep-alive connection, back to back, for a bounded time after a warm-up. Reports
 * accepted alerts/s, request latency percentiles, and the CPU the server processes used (from
 * /proc), so a rate can be given per core used.
 *
 * <pre>
 * AlertPostLoad --url http://127.0.0.1:9095 [--threads 4] [--batch 64] [--warmup 10] [--seconds 30]
 *               [--pids PID,PID] [--label gateway]
 * </pre>
 */
public final class AlertPostLoad {

    private AlertPostLoad() {}

    public static void main(String[] args) throws Exception {
        String url = null;
        String label = "server";
        String pids = "";
        String brokerPids = "";
        int threads = 4;
        int batch = 64;
        int warmup = 10;
        int seconds = 30;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--label" -> label = args[++i];
                case "--pids" -> pids = args[++i];
                case "--broker-pids" -> brokerPids = args[++i];
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("--url is required");
        }
        Result r =
                run(
                        URI.create(url + "/api/v2/alerts"),
                        threads,
                        batch,
                        warmup,
                        seconds,
                        pids,
                        brokerPids);
        System.out.println(r.line(label));
    }

    /** One run's figures. */
    record Result(
            long alerts,
            long requests,
            long failed,
            double seconds,
            double p50Ms,
            double p99Ms,
            double p999Ms,
            double serverCpuSeconds,
            double brokerCpuSeconds) {

        double alertsPerSecond() {
            return alerts / seconds;
        }

        double coresUsed() {
            return serverCpuSeconds / seconds;
        }

        String line(String label) {
            return String.format(
                    Locale.ROOT,
                    "%s alerts_per_s=%.0f requests=%d failed=%d p50_ms=%.2f p99_ms=%.2f"
                            + " p999_ms=%.2f server_cores=%.2f alerts_per_s_per_core=%.0f"
                            + " broker_cores=%.2f",
                    label,
                    alertsPerSecond(),
                    requests,
                    failed,
                    p50Ms,
                    p99Ms,
                    p999Ms,
                    coresUsed(),
                    coresUsed() > 0 ? alertsPerSecond() / coresUsed() : Double.NaN,
                    brokerCpuSeconds / seconds);
        }
    }

    /**
     * @param pids the server's processes (their CPU gives the per-core rate)
     * @param brokerPids processes the server depends on (the Kafka broker), reported apart
     */
    static Result run(
            URI uri,
            int threads,
            int batch,
            int warmup,
            int seconds,
            String pids,
            String brokerPids)
            throws Exception {
        List<String> bodies = bodies(batch, 256, Instant.now());
        HttpClient[] clients = new HttpClient[threads];
        for (int i = 0; i < threads; i++) {
            // One client per thread: one connection each, kept alive, as a sender's pool would.
            clients[i] =
                    HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(5))
                            .build();
        }
        long warmupEnd = System.nanoTime() + Duration.ofSeconds(warmup).toNanos();
        long end = warmupEnd + Duration.ofSeconds(seconds).toNanos();
        AtomicLong alerts = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long[][] latencies = new long[threads][];
        int[] counts = new int[threads];
        Thread[] workers = new Thread[threads];
        double[] cpuAtStart = new double[2];
        for (int t = 0; t < threads; t++) {
            int id = t;
            latencies[t] = new long[1_000_000];
            workers[t] =
                    new Thread(
                            () -> {
                                int n = 0;
                                long[] lat = latencies[id];
                                int next = id;
                                while (true) {
                                    long start = System.nanoTime();
                                    if (start >= end) {
                                        break;
                                    }
                                    String body = bodies.get(next++ % bodies.size());
                                    boolean measured = start >= warmupEnd;
                                    try {
                                        HttpResponse<Void> r =
                                                clients[id].send(
                                                        HttpRequest.newBuilder(uri)
                                                                .header(
                                                                        "Content-Type",
                                                                        "application/json")
                                                                .timeout(Duration.ofSeconds(30))
                                                                .POST(
                                                                        HttpRequest.BodyPublishers
                                                                                .ofString(body))
                                                                .build(),
                                                        HttpResponse.BodyHandlers.discarding());
                                        long took = System.nanoTime() - start;
                                        if (measured) {
                                            if (r.statusCode() == 200) {
                                                alerts.addAndGet(batch);
                                            } else {
                                                failed.incrementAndGet();
                                            }
                                            requests.incrementAndGet();
                                            if (n < lat.length) {
                                                lat[n++] = took;
                                            }
                                        }
                                    } catch (IOException | InterruptedException e) {
                                        if (measured) {
                                            failed.incrementAndGet();
                                        }
                                    }
                                }
                                counts[id] = n;
                            },
                            "load-" + t);
            workers[t].start();
        }
        Thread.sleep(Math.max(0, (warmupEnd - System.nanoTime()) / 1_000_000));
        cpuAtStart[0] = cpuSeconds(pids);
        cpuAtStart[1] = cpuSeconds(brokerPids);
        long measureStart = System.nanoTime();
        for (Thread w : workers) {
            w.join();
        }
        double wall = (System.nanoTime() - measureStart) / 1e9;
        double cpu = cpuSeconds(pids) - cpuAtStart[0];
        double brokerCpu = cpuSeconds(brokerPids) - cpuAtStart[1];
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int k = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(latencies[t], 0, all, k, counts[t]);
            k += counts[t];
        }
        Arrays.sort(all);
        return new Result(
                alerts.get(),
                requests.get(),
                failed.get(),
                wall,
                percentile(all, 0.50),
                percentile(all, 0.99),
                percentile(all, 0.999),
                cpu,
                brokerCpu);
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    /** User + system CPU seconds of the given processes so far (Linux /proc), 0 without pids. */
    static double cpuSeconds(String pids) throws IOException {
        double total = 0;
        for (String pid : pids.split(",")) {
            if (pid.isBlank()) {
                continue;
            }
            String stat = Files.readString(Path.of("/proc", pid.trim(), "stat"));
            // Fields after the command name (which may hold spaces) start after the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
            total += ticks / 100.0; // USER_HZ is 100 on Linux
        }
        return total;
    }

    /**
     * Request bodies: {@code count} batches of {@code batch} distinct alerts in Prometheus' shape
     * (8 labels, 2 annotations, startsAt, endsAt an hour ahead so they stay firing, generatorURL),
     * {@code count * batch} distinct label sets in all.
     */
    static List<String> bodies(int batch, int count, Instant now) {
        String starts = now.truncatedTo(ChronoUnit.SECONDS).minusSeconds(60).toString();
        String ends = now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(3600).toString();
        String[] services = {"checkout", "payments", "users-pg", "search-es", "cart", "auth"};
        String[] names = {
            "HighLatency", "ErrorRate", "PodCrashLooping", "DiskFull", "CPUThrottling"
        };
        List<String> out = new ArrayList<>(count);
        int n = 0;
        for (int b = 0; b < count; b++) {
            StringBuilder s = new StringBuilder(batch * 420).append('[');
            for (int i = 0; i < batch; i++, n++) {
                if (i > 0) {
                    s.append(',');
                }
                String service = services[n % services.length];
                String name = names[(n / services.length) % names.length];
                s.append("{\"labels\":{\"alertname\":\"")
                        .append(name)
                        .append("\",\"service\":\"")
                        .append(service)
                        .append("\",\"severity\":\"")
                        .append(n % 7 == 0 ? "critical" : "warning")
                        .append("\",\"instance\":\"10.1.")
                        .append((n / 250) % 250)
                        .append('.')
                        .append(n % 250)
                        .append(":9100\",\"job\":\"node\",\"cluster\":\"prod-eu\",\"namespace\":\"")
                        .append(service)
                        .append("\",\"pod\":\"")
                        .append(service)
                        .append('-')
                        .append(n)
                        .append("\"},\"annotations\":{\"summary\":\"")
                        .append(name)
                        .append(" on ")
                        .append(service)
                        .append("\",\"runbook_url\":\"https://runbooks.example/")
                        .append(name)
                        .append("\"},\"startsAt\":\"")
                        .append(starts)
                        .append("\",\"endsAt\":\"")
                        .append(ends)
                        .append("\",\"generatorURL\":\"http://prometheus:9090/graph?g0.expr=up\"}");
            }
            out.add(s.append(']').toString());
        }
        return out;
    }
}
