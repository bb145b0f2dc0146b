package io.tocsin.testing;

import io.tocsin.config.ClickHouseSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the local ClickHouse engine (deploy/local/clickhouse: the real engine from libchdb.so
 * behind the ClickHouse HTTP interface) on a free port with its own data directory for one test
 * class, installing the pinned chDB package first when needed.
 */
public final class LocalClickHouse implements BeforeAllCallback, AfterAllCallback {

    private Process process;
    private Path dataDir;
    private String libPath;
    private int port;

    public static Path projectRoot() {
        String home = System.getProperty("tocsin.home");
        return Path.of(home == null ? ".." : home).toAbsolutePath().normalize();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path root = projectRoot();
        Path dir = root.resolve("deploy/local/clickhouse");
        String lib = run(List.of("bash", dir.resolve("install.sh").toString()), root);
        lib = lib.strip().lines().reduce((a, b) -> b).orElse("");
        if (!Files.isRegularFile(Path.of(lib))) {
            throw new IllegalStateException(
                    "install.sh did not print the libchdb.so path, got: " + lib);
        }
        dataDir = Files.createTempDirectory("tocsin-clickhouse-");
        libPath = lib;
        launch(0);
    }

    /** Starts the server on {@code port} (0: any free port) and waits until it answers /ping. */
    private void launch(int onPort) throws Exception {
        Path dir = projectRoot().resolve("deploy/local/clickhouse");
        Path portFile = dataDir.resolve("port");
        Files.deleteIfExists(portFile);
        process =
                new ProcessBuilder(
                                "python3",
                                dir.resolve("chserver.py").toString(),
                                "--host",
                                "127.0.0.1",
                                "--port",
                                Integer.toString(onPort),
                                "--data",
                                dataDir.resolve("data").toString(),
                                "--lib",
                                libPath,
                                "--port-file",
                                portFile.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(
                                ProcessBuilder.Redirect.appendTo(
                                        dataDir.resolve("server.log").toFile()))
                        .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("local ClickHouse exited: " + tail());
            }
            if (Files.exists(portFile) && !Files.readString(portFile).isBlank()) {
                port = Integer.parseInt(Files.readString(portFile).strip());
                if (ping()) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("local ClickHouse did not become ready in 90 s: " + tail());
    }

    private boolean ping() {
        try {
            var c =
                    (java.net.HttpURLConnection)
                            new java.net.URL("http://127.0.0.1:" + port + "/ping").openConnection();
            c.setConnectTimeout(500);
            return c.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private String tail() throws IOException {
        Path log = dataDir.resolve("server.log");
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static String run(List<String> cmd, Path dir) throws Exception {
        Process p =
                new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
        }
        return out;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * Stops the server as an outage would (SIGTERM: the engine closes cleanly) and waits until it
     * has exited; {@link #start()} brings it back on the same port with the same data.
     */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts the server again after {@link #stop()}, on the same port and data directory. */
    public void start() throws Exception {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("local ClickHouse is already running");
        }
        launch(port);
    }

    public int port() {
        return port;
    }

    public String url(String database) {
        return "jdbc:clickhouse://127.0.0.1:" + port + "/" + database + "?compress=false";
    }

    public ClickHouseSettings settings(String database) {
        return new ClickHouseSettings(
                url(database),
                "default",
                "",
                500,
                Duration.ofMillis(200),
                5,
                fixtureRetentionDays(LocalDate.now(ZoneOffset.UTC)));
    }

    /**
     * The tables' TTL is measured from the server's clock, while test fixtures carry fixed instants
     * (2026-11-02 and later): a fixed retention would make every fixture expire once the calendar
     * passes it, and the rows would vanish on insert. This retention reaches from today back past
     * {@link #OLDEST_FIXTURE} with ten years to spare, so no fixture can expire whatever the date
     * (and stays below DateTime's 2106 limit for the next decades). Tests about retention itself
     * set their own, with fixtures relative to now.
     */
    static int fixtureRetentionDays(LocalDate today) {
        return Math.toIntExact(ChronoUnit.DAYS.between(OLDEST_FIXTURE, today) + 3650);
    }

    /** No test fixture is older than this. */
    public static final LocalDate OLDEST_FIXTURE = LocalDate.of(2020, 1, 1);

    /** Creates a database and returns settings pointing at it. */
    public ClickHouseSettings freshDatabase(String name) throws Exception {
        try (var c =
                        java.sql.DriverManager.getConnection(
                                url("default"), settings("default").jdbcProperties());
                var st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name);
            st.execute("CREATE DATABASE " + name);
        }
        return settings(name);
    }

    public Map<String, String> env() {
        return Map.of("TOCSIN_CLICKHOUSE_URL", url("default"));
    }
}
