package io.tocsin.bench.latency;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The peer: Debian's Alertmanager on loopback, grouping by alertname and service with group_wait 1
 * s, notifying a webhook receiver in this process. Probes and load go through its API v2 as
 * Prometheus sends them; a probe's latency is from its POST to its notification's arrival.
 */
final class AlertmanagerSide implements AutoCloseable {

    private final Process process;
    private final HttpServer receiver;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI alerts;
    private final ProbeClock clock;
    private final String version;

    AlertmanagerSide(String binary, int port, Path dir, ProbeClock clock) throws Exception {
        this.clock = clock;
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        receiver.createContext(
                "/hook",
                exchange -> {
                    long now = System.nanoTime();
                    try (InputStream in = exchange.getRequestBody()) {
                        clock.seen(
                                ProbeClock.Answer.ALERTMANAGER,
                                new String(in.readAllBytes(), StandardCharsets.UTF_8),
                                now);
                    }
                    exchange.sendResponseHeaders(200, -1);
                    exchange.close();
                });
        receiver.start();
        Files.createDirectories(dir);
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(
                config,
                """
                route:
                  receiver: hook
                  group_by: ['alertname', 'service']
                  group_wait: 1s
                  group_interval: 5m
                  repeat_interval: 4h
                receivers:
                  - name: hook
                    webhook_configs:
                      - url: http://127.0.0.1:%d/hook
                        send_resolved: false
                """
                        .formatted(receiver.getAddress().getPort()));
        version = versionOf(binary);
        process =
                new ProcessBuilder(
                                binary,
                                "--config.file=" + config,
                                "--storage.path=" + dir.resolve("data"),
                                "--web.listen-address=127.0.0.1:" + port,
                                "--cluster.listen-address=",
                                "--log.level=warn")
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("alertmanager.log").toFile())
                        .start();
        alerts = URI.create("http://127.0.0.1:" + port + "/api/v2/alerts");
        awaitReady(URI.create("http://127.0.0.1:" + port + "/-/ready"));
    }

    String version() {
        return version;
    }

    long pid() {
        return process.pid();
    }

    private static String versionOf(String binary) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        String[] words = out.strip().split("\\s+");
        return words.length > 2 ? words[2] : out.strip();
    }

    private void awaitReady(URI ready) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(
                                        HttpRequest.newBuilder(ready).build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Alertmanager did not become ready at " + ready);
    }

    private int post(HttpClient client, byte[] body) throws IOException, InterruptedException {
        return client.send(
                        HttpRequest.newBuilder(alerts)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    void sendProbe(long probe) throws IOException, InterruptedException {
        byte[] one = LoadAlerts.probe(probe, Instant.now());
        byte[] body = new byte[one.length + 2];
        body[0] = '[';
        System.arraycopy(one, 0, body, 1, one.length);
        body[body.length - 1] = ']';
        long t0 = System.nanoTime();
        clock.sent(probe, t0);
        int status = post(http, body);
        if (status != 200) {
            throw new IllegalStateException("Alertmanager refused a probe: HTTP " + status);
        }
    }

    /**
     * Posts the load in batches of 64 from {@code threads} keep-alive clients at {@code perSecond}
     * in all (0: back to back) until {@code running} is cleared or about {@code limit} (if
     * positive) are sent; returns the alerts accepted.
     */
    long sendLoad(LoadAlerts load, double perSecond, int threads, long limit, AtomicBoolean running)
            throws InterruptedException {
        int batch = 64;
        AtomicLong accepted = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            Thread w =
                    new Thread(
                            () -> {
                                HttpClient client = HttpClient.newHttpClient();
                                Pacer pacer = new Pacer(perSecond / threads);
                                long from = (long) offset * load.size() / threads;
                                try {
                                    while (running.get()
                                            && (limit <= 0 || pacer.done() < limit / threads)) {
                                        pacer.acquire(batch);
                                        if (post(client, load.batch(from, batch)) == 200) {
                                            accepted.addAndGet(batch);
                                        }
                                        from += batch;
                                    }
                                } catch (IOException e) {
                                    throw new IllegalStateException(e);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            },
                            "am-load-" + t);
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join();
        }
        return accepted.get();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        receiver.stop(0);
    }
}
