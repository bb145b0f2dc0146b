package io.tocsin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.config.Policy;
import io.tocsin.config.PolicyLoader;
import io.tocsin.config.Topics;
import io.tocsin.config.Topology;
import io.tocsin.config.TopologyLoader;
import io.tocsin.pipeline.KafkaSources;
import io.tocsin.pipeline.LiveSinks;
import io.tocsin.pipeline.TocsinJob;
import io.tocsin.testing.CollectingSinks;
import io.tocsin.testing.InJvmKafka;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The board in a real browser: Debian's headless chromium (driven through chromium-driver) opens
 * the board while the demo storm is replayed through the live job (MiniCluster, in-JVM broker, the
 * demo policy and topology). Proven: the users-pg incident appears on the open list with users-pg
 * as its root cause; its timeline page grows as alerts join without a reload (server-sent events);
 * an acknowledgement clicked on the board, as the signed-in user alice (bearer token sent by the
 * browser), reaches the job through the commands topic and comes back as an ACKNOWLEDGED event by
 * alice, shown on the page. Screenshots go to target/board-screenshots/.
 */
class BoardBrowserITCase {

    @RegisterExtension
    @Order(1)
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @RegisterExtension
    @Order(2)
    static final InJvmKafka KAFKA = new InJvmKafka();

    static final String TOKEN = "alice-board-token-0123456789";
    static final double SPEED = 30;
    static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void boardFollowsTheDemoStormAndAnAcknowledgement() throws Exception {
        Path chromium = DebianTools.find("chromium");
        Path driverBinary = DebianTools.find("chromedriver");
        if (chromium == null || driverBinary == null) {
            String msg =
                    "\n\n*** SKIPPED: BoardBrowserITCase needs Debian's chromium and chromium-driver;"
                            + " ./tocsin test installs them with apt-get, which was not possible"
                            + " here. Found: chromium="
                            + chromium
                            + " chromedriver="
                            + driverBinary
                            + " ***\n";
            System.err.println(msg);
            Assumptions.abort(msg);
        }
        Path shots = Path.of("target", "board-screenshots").toAbsolutePath();
        Files.createDirectories(shots);

        for (Topics t : Topics.all()) {
            KAFKA.createTopics(t.partitions(), t.name());
        }
        Policy policy = PolicyLoader.loadResource("demo/policy.yaml");
        Topology topology = TopologyLoader.loadResource("demo/topology.json");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new TocsinJob(
                        new KafkaSources(
                                        KAFKA.bootstrapServers(),
                                        Topics.ALERTS.name(),
                                        "board-it",
                                        false)
                                .withCommands(Topics.COMMANDS.name())
                                .replaying(),
                        new KafkaAndCollectingSinks(
                                new LiveSinks(
                                        KAFKA.bootstrapServers(),
                                        "board-it",
                                        null,
                                        policy.correlation().domainLabel()),
                                new CollectingSinks()),
                        policy,
                        topology,
                        new TocsinJob.Settings("tocsin-board-it", 2, Duration.ofSeconds(1)))
                .build(env);
        JobClient job = env.executeAsync("tocsin-board-it");

        BoardConfig boardConfig =
                BoardConfig.defaults("")
                        .withTopology(topology)
                        .withUsers(
                                BoardUsers.parse(
                                        "users.yaml",
                                        "users:\n  - {name: alice, role: responder, token: \""
                                                + TOKEN
                                                + "\"}\n"));
        GatewayConfig config =
                GatewayConfig.local(
                        KAFKA.bootstrapServers(), GatewayConfig.TopicNames.defaults(), policy);
        AtomicBoolean stopReplay = new AtomicBoolean();
        Thread replay = new Thread(() -> replay(stopReplay), "storm-replay");
        ChromeDriver[] held = new ChromeDriver[1];
        Path profile = Files.createTempDirectory("tocsin-board-chromium");
        try (Gateway gateway =
                Gateway.start(config, boardConfig, new PrometheusRegistry(), false)) {
            ChromeDriver browser = browser(chromium, driverBinary, profile);
            held[0] = browser;
            // The browser sends alice's token on every request (page, fragments, event stream).
            browser.executeCdpCommand("Network.enable", Map.of());
            browser.executeCdpCommand(
                    "Network.setExtraHTTPHeaders",
                    Map.of("headers", Map.of("Authorization", "Bearer " + TOKEN)));
            browser.get(gateway.boardUri().toString());
            WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(250));
            wait.ignoring(StaleElementReferenceException.class);
            wait.until(d -> d.findElement(By.id("live")).getText().equals("live"));
            assertThat(browser.findElement(By.className("who")).getText()).contains("alice");

            replay.start();

            // 1. The users-pg incident appears on the open list, root cause users-pg.
            // Read in one script: the list is re-rendered under us as events arrive.
            String incidentId =
                    wait.until(
                            d ->
                                    (String)
                                            ((JavascriptExecutor) d)
                                                    .executeScript(
                                                            "var found = null;"
                                                                    + " document.querySelectorAll('#open"
                                                                    + " article.incident').forEach(function(a)"
                                                                    + " { var r ="
                                                                    + " a.querySelector('.root-cause');"
                                                                    + " if (!found && r && r.textContent"
                                                                    + " === 'users-pg') found ="
                                                                    + " a.getAttribute('data-incident');"
                                                                    + " }); return found;"));
            assertThat(incidentId).isNotBlank();
            screenshot(browser, shots.resolve("1-open-list.png"));

            // 2. Its timeline page grows as alerts join, without a reload.
            browser.get(gateway.boardUri() + "/incident/" + BoardPages.pathSegment(incidentId));
            wait.until(d -> d.findElement(By.id("live")).getText().equals("live"));
            ((JavascriptExecutor) browser).executeScript("window.tocsinNoReload = 42;");
            wait.until(
                    d ->
                            d.findElement(By.cssSelector("#incident .root-cause"))
                                    .getText()
                                    .equals("users-pg"));
            // The count as first rendered (at least the opening alert), then more without a reload.
            wait.until(d -> alertCount(browser) >= 1);
            int first = alertCount(browser);
            wait.until(d -> alertCount(browser) > first);
            int grown = alertCount(browser);
            assertThat(((JavascriptExecutor) browser).executeScript("return window.tocsinNoReload"))
                    .as("the page was updated in place, not reloaded")
                    .isEqualTo(42L);
            wait.until(d -> !d.findElements(By.cssSelector(".timeline .ev-alert-added")).isEmpty());
            screenshot(browser, shots.resolve("2-timeline-grown.png"));

            // 3. Acknowledge from the board; the job's ACKNOWLEDGED event by alice shows up.
            browser.findElement(By.id("ack")).click();
            wait.until(d -> d.findElements(By.className("sent")).size() == 1);
            wait.until(
                    d ->
                            d.findElements(By.cssSelector(".timeline .ev-acknowledged")).stream()
                                    .anyMatch(e -> e.getText().contains("by alice")));
            wait.until(
                    d ->
                            d.findElement(By.cssSelector("#incident .acked"))
                                    .getText()
                                    .contains("alice"));
            screenshot(browser, shots.resolve("3-acknowledged.png"));
            IncidentEvent acked = acknowledged(incidentId);
            assertThat(acked.getActor()).isEqualTo("alice");
            assertThat(acked.getEvidence()).containsEntry("role", "responder");

            // 4. The open list on a phone-sized screen.
            browser.manage().window().setSize(new Dimension(390, 844));
            browser.get(gateway.boardUri().toString());
            wait.until(d -> d.findElement(By.id("live")).getText().equals("live"));
            Object overflow =
                    ((JavascriptExecutor) browser)
                            .executeScript(
                                    "return document.documentElement.scrollWidth >"
                                            + " window.innerWidth + 1;");
            assertThat(overflow).as("no sideways scrolling on a phone").isEqualTo(false);
            screenshot(browser, shots.resolve("4-phone.png"));
            System.out.printf(
                    "BoardBrowserITCase: %s grew from %d to %d alerts; screenshots in %s%n",
                    incidentId, first, grown, shots);
        } finally {
            stopReplay.set(true);
            replay.join(10_000);
            if (held[0] != null) {
                held[0].quit();
            }
            job.cancel().get(30, TimeUnit.SECONDS);
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    static ChromeDriver browser(Path chromium, Path driverBinary, Path profile) {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(chromium.toFile());
        o.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1280,1600",
                "--user-data-dir=" + profile);
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(driverBinary.toFile())
                        .usingAnyFreePort()
                        .build();
        return new ChromeDriver(service, o);
    }

    static int alertCount(ChromeDriver browser) {
        try {
            return Integer.parseInt(browser.findElement(By.id("alert-count")).getText().trim());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    static void screenshot(ChromeDriver browser, Path file) throws Exception {
        Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
    }

    static final Pattern RECEIVED = Pattern.compile("\"receivedAt\":\"([^\"]+)\"");

    /** The demo storm into the alerts topic, paced by its receivedAt at {@link #SPEED}. */
    static void replay(AtomicBoolean stop) {
        List<String> storm = new ArrayList<>();
        try (InputStream in =
                        BoardBrowserITCase.class
                                .getClassLoader()
                                .getResourceAsStream("demo/storm.jsonl");
                BufferedReader r =
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                if (!l.isBlank()) {
                    storm.add(l);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("demo/storm.jsonl", e);
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", KAFKA.bootstrapServers());
        p.put("linger.ms", "5");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            Instant first = null;
            long wallStart = System.nanoTime();
            for (String line : storm) {
                if (stop.get()) {
                    return;
                }
                Matcher m = RECEIVED.matcher(line);
                if (m.find()) {
                    Instant at = Instant.parse(m.group(1));
                    if (first == null) {
                        first = at;
                    }
                    long due = (long) (Duration.between(first, at).toNanos() / SPEED);
                    long sleep = due - (System.nanoTime() - wallStart);
                    if (sleep > 0) {
                        producer.flush();
                        TimeUnit.NANOSECONDS.sleep(sleep);
                    }
                }
                producer.send(
                        new ProducerRecord<>(
                                Topics.ALERTS.name(), line.getBytes(StandardCharsets.UTF_8)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The ACKNOWLEDGED event of the incident on the incident-events topic. */
    static IncidentEvent acknowledged(String incidentId) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r :
                    TopicReader.read(
                            KAFKA.bootstrapServers(),
                            Topics.INCIDENT_EVENTS.name(),
                            Integer.MAX_VALUE,
                            Duration.ofSeconds(3))) {
                if (r.value() == null || r.value().length == 0) {
                    continue;
                }
                IncidentEvent e;
                try {
                    e = IncidentEvent.getDecoder().decode(ByteBuffer.wrap(r.value()));
                } catch (Exception ex) {
                    continue;
                }
                if (e.getIncidentId().equals(incidentId)
                        && e.getType() == IncidentEventType.ACKNOWLEDGED) {
                    return e;
                }
            }
        }
        throw new AssertionError("no ACKNOWLEDGED event for " + incidentId);
    }
}
