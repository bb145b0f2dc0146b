package io.tocsin.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The project's local Kafka broker (deploy/local/kafka: a KRaft node from Maven Central jars, a
 * separate OS process) on free ports with its own data directory, for tests whose job runs as a
 * separate process too. The broker's jars are resolved once into the checkout's .local/ and shared.
 */
public final class LocalKafkaBroker implements BeforeAllCallback, AfterAllCallback {

    private Path localDir;
    private int port;
    private Map<String, String> env;
    private final String security;

    /** The broker in its default profile: a plaintext listener. */
    public LocalKafkaBroker() {
        this("plaintext");
    }

    private LocalKafkaBroker(String security) {
        this.security = security;
    }

    /**
     * The broker's {@code sasl_ssl} profile: SASL/SCRAM-SHA-512 over TLS with a local CA (see
     * deploy/local/kafka/kafka.sh); {@link #clientEnvironment} has the client settings.
     */
    public static LocalKafkaBroker saslSsl() {
        return new LocalKafkaBroker("sasl_ssl");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        localDir = Files.createTempDirectory("tocsin-kafka-");
        port = freePort();
        int controllerPort = freePort();
        env = new HashMap<>();
        env.put("TOCSIN_HOME", LocalClickHouse.projectRoot().toString());
        env.put("TOCSIN_LOCAL_DIR", localDir.toString());
        env.put(
                "TOCSIN_KAFKA_LIBS",
                LocalClickHouse.projectRoot().resolve(".local/kafka/libs").toString());
        env.put("TOCSIN_KAFKA_PORT", Integer.toString(port));
        env.put("TOCSIN_KAFKA_CONTROLLER_PORT", Integer.toString(controllerPort));
        env.put("TOCSIN_KAFKA_HEAP", "384m");
        env.put("TOCSIN_KAFKA_SECURITY", security);
        kafkaSh("start");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (env != null) {
            kafkaSh("stop");
        }
    }

    /**
     * Stops the broker (kafka.sh stop: SIGTERM, a controlled shutdown) and leaves its data, ports
     * and identity as they are, so {@link #start()} brings the same broker back.
     */
    public void stop() throws Exception {
        kafkaSh("stop");
    }

    /** Starts the broker again after {@link #stop()}, on the same ports and data; waits ready. */
    public void start() throws Exception {
        kafkaSh("start");
    }

    /** The TOCSIN_KAFKA* variables a client needs for this broker ({@code kafka.sh client-env}). */
    public Map<String, String> clientEnvironment() throws Exception {
        Map<String, String> out = new HashMap<>();
        for (String line : kafkaSh("client-env").split("\n")) {
            if (line.startsWith("export ")) {
                String kv = line.substring("export ".length());
                int eq = kv.indexOf('=');
                out.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return out;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Creates {@code prefix + name} for every Tocsin topic, with {@code partitions} each. */
    public void createTopics(String prefix, int partitions) throws Exception {
        List<String> args = new ArrayList<>(List.of("create-topics"));
        for (String name :
                List.of(
                        "alerts",
                        "incident-events",
                        "pages",
                        "dead-letters",
                        "commands",
                        "control",
                        "telemetry",
                        "changes",
                        "status-updates")) {
            args.add(prefix + name + ":" + partitions);
        }
        kafkaSh(args.toArray(String[]::new));
    }

    private String kafkaSh(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("bash");
        cmd.add(LocalClickHouse.projectRoot().resolve("deploy/local/kafka/kafka.sh").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("kafka.sh " + String.join(" ", args) + ":\n" + out);
        }
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
