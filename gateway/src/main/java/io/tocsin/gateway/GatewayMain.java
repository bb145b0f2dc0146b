package io.tocsin.gateway;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tocsin.config.ConfigException;
import io.tocsin.config.Durations;
import io.tocsin.config.KafkaEndpoint;
import io.tocsin.config.Policy;
import io.tocsin.config.PolicyLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tocsin gateway}: runs the HTTP ingest gateway until stopped (SIGTERM or Ctrl-C). */
@Command(
        name = "tocsin gateway",
        mixinStandardHelpOptions = true,
        description = {
            "Speaks Alertmanager's API to Prometheus and amtool, and Prometheus remote write:",
            "  POST /api/v2/alerts, POST /webhook      alerts -> the alerts topic",
            "  POST/GET /api/v2/silences,",
            "  GET/DELETE /api/v2/silence/ID           silences <-> the control topic",
            "  POST /api/v1/write                      allowed series -> the telemetry topic",
            "  GET /-/healthy, /-/ready, /api/v2/status, /metrics",
            "  GET /board                              the incident board (HTML, live)",
            "Every write is acknowledged by Kafka (acks=all) before the answer; 503 while Kafka is"
                    + " away.",
            ""
        })
public final class GatewayMain implements Callable<Integer> {

    @Option(
            names = "--listen",
            paramLabel = "HOST:PORT",
            description = "address to listen on (default 127.0.0.1:$TOCSIN_GATEWAY_PORT or 9095)")
    String listen;

    @Option(
            names = "--kafka",
            paramLabel = "BROKERS",
            description = "Kafka bootstrap servers (default 127.0.0.1:$TOCSIN_KAFKA_PORT or 9092)")
    String kafka;

    @Option(
            names = "--topic-prefix",
            defaultValue = "",
            description = "prefix of every topic name (default none)")
    String topicPrefix;

    @Option(
            names = "--policy",
            paramLabel = "FILE",
            description = "the job's policy file: severity table and ingest.maxRecordBytes")
    Path policy;

    @Option(
            names = "--max-body-bytes",
            defaultValue = "4194304",
            description = "larger request bodies are answered 413 (default ${DEFAULT-VALUE})")
    int maxBodyBytes;

    @Option(
            names = "--write-timeout",
            defaultValue = "10s",
            description =
                    "how long a request waits for Kafka before a 503 (default ${DEFAULT-VALUE})")
    String writeTimeout;

    @Option(
            names = "--remote-write-allow",
            paramLabel = "SELECTOR",
            description = {
                "a series selector whose remote-written samples go to the telemetry topic, e.g.",
                "'http_requests_total{job=\"api\"}' or '{__name__=~\"node_.*\"}'; repeatable;",
                "none given: samples are counted and dropped"
            })
    List<String> allow = new ArrayList<>();

    @Option(
            names = "--bearer-token-file",
            paramLabel = "FILE",
            description = "require 'Authorization: Bearer <token>' with the token in FILE")
    Path bearerTokenFile;

    @Option(
            names = "--tls-keystore",
            paramLabel = "FILE",
            description = "serve HTTPS with this PKCS12 keystore ($TOCSIN_GATEWAY_TLS_PASSWORD)")
    Path tlsKeyStore;

    @Option(
            names = "--tls-client-truststore",
            paramLabel = "FILE",
            description =
                    "require client certificates trusted by this PKCS12 truststore"
                            + " ($TOCSIN_GATEWAY_TLS_TRUSTSTORE_PASSWORD)")
    Path tlsTrustStore;

    @Option(
            names = "--board-users",
            paramLabel = "FILE",
            description = {
                "who may act from the incident board, in which role (YAML: users: [{name, role,",
                "token | certificateCn}]); without it the board is read-only"
            })
    Path boardUsers;

    @Option(
            names = "--topology",
            paramLabel = "FILE",
            description = "the services graph (topology.json) for the board's dependency view")
    Path topology;

    @Option(
            names = "--clickhouse-url",
            paramLabel = "URL",
            description =
                    "ClickHouse's HTTP interface (e.g. http://127.0.0.1:8123) for the board's"
                            + " history search")
    String clickHouseUrl;

    @Option(
            names = "--clickhouse-database",
            defaultValue = "default",
            description = "the database the job writes (default ${DEFAULT-VALUE})")
    String clickHouseDatabase;

    public static void main(String[] args) {
        System.exit(new CommandLine(new GatewayMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        GatewayConfig config;
        BoardConfig board;
        try {
            config = config();
            board = boardConfig();
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("gateway: " + e.getMessage());
            return 2;
        }
        Gateway gateway = Gateway.start(config, board, PrometheusRegistry.defaultRegistry, true);
        System.out.println(
                "gateway: listening on " + gateway.uri() + " (kafka " + config.kafka() + ")");
        System.out.println(
                "gateway: incident board on "
                        + gateway.boardUri()
                        + (board.users().isEmpty() ? " (read-only: no --board-users)" : ""));
        if (config.allowList().isEmpty()) {
            System.out.println(
                    "gateway: no --remote-write-allow given: remote-written samples are counted"
                            + " (tocsin_gateway_samples_dropped_total) and dropped");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        gateway.close();
                                    } catch (Exception e) {
                                        System.err.println("gateway: stopping: " + e);
                                    }
                                    stopped.countDown();
                                }));
        stopped.await();
        return 0;
    }

    BoardConfig boardConfig() throws IOException {
        BoardConfig b = BoardConfig.defaults(topicPrefix);
        if (boardUsers != null) {
            if (!Files.isRegularFile(boardUsers)) {
                throw new IllegalArgumentException("--board-users: no such file " + boardUsers);
            }
            b = b.withUsers(BoardUsers.load(boardUsers));
        }
        if (topology != null) {
            if (!Files.isRegularFile(topology)) {
                throw new IllegalArgumentException("--topology: no such file " + topology);
            }
            b = b.withTopology(io.tocsin.config.TopologyLoader.load(topology));
        }
        if (clickHouseUrl != null) {
            java.net.URI u;
            try {
                u = java.net.URI.create(clickHouseUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--clickhouse-url: " + e.getMessage());
            }
            if (u.getScheme() == null
                    || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                    || u.getHost() == null) {
                throw new IllegalArgumentException(
                        "--clickhouse-url: expected http://HOST:PORT, got '" + clickHouseUrl + "'");
            }
            b = b.withClickHouse(u, clickHouseDatabase);
        }
        return b;
    }

    GatewayConfig config() throws IOException {
        String env = System.getenv().getOrDefault("TOCSIN_GATEWAY_PORT", "9095");
        String where = listen == null ? "127.0.0.1:" + env : listen;
        int colon = where.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--listen: expected HOST:PORT, got '" + where + "'");
        }
        int port;
        try {
            port = Integer.parseInt(where.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--listen: '" + where + "' has no numeric port");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--listen: port " + port + " is out of range");
        }
        String brokers =
                kafka != null
                        ? kafka
                        : "127.0.0.1:" + System.getenv().getOrDefault("TOCSIN_KAFKA_PORT", "9092");
        Policy p =
                policy == null
                        ? PolicyLoader.loadResource("policy/default.yaml")
                        : PolicyLoader.load(policy);
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("--max-body-bytes: must be at least 1024");
        }
        Duration timeout;
        try {
            timeout = Durations.parse(writeTimeout);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--write-timeout: " + e.getMessage());
        }
        SeriesAllowList allowList;
        try {
            allowList = SeriesAllowList.parse(allow);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--remote-write-allow: " + e.getMessage());
        }
        String token = null;
        if (bearerTokenFile != null) {
            token = Files.readString(bearerTokenFile, StandardCharsets.UTF_8).trim();
            if (token.isEmpty()) {
                throw new IllegalArgumentException(
                        "--bearer-token-file: " + bearerTokenFile + " is empty");
            }
        }
        GatewayConfig.Tls tls = null;
        if (tlsKeyStore != null) {
            tls =
                    new GatewayConfig.Tls(
                            tlsKeyStore,
                            System.getenv().getOrDefault("TOCSIN_GATEWAY_TLS_PASSWORD", ""),
                            tlsTrustStore,
                            System.getenv()
                                    .getOrDefault("TOCSIN_GATEWAY_TLS_TRUSTSTORE_PASSWORD", ""));
        } else if (tlsTrustStore != null) {
            throw new IllegalArgumentException(
                    "--tls-client-truststore: needs --tls-keystore (client certificates need HTTPS)");
        }
        return new GatewayConfig(
                where.substring(0, colon),
                port,
                KafkaEndpoint.of(brokers, System.getenv()),
                GatewayConfig.TopicNames.withPrefix(topicPrefix),
                p,
                maxBodyBytes,
                timeout,
                allowList,
                token,
                tls,
                Duration.ofHours(120),
                10_000);
    }
}
