package io.tocsin.gateway;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tocsin.ingest.AlertDecoder;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: a Jetty server in front of one Kafka producer, with the silences read back
 * from the control topic. {@link #start} returns once it listens and has read the control topic.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Server server;
    private final KafkaWriter kafka;
    private final ControlTopicReader control;
    private final Board board;
    private final URI uri;

    private Gateway(
            Server server, KafkaWriter kafka, ControlTopicReader control, Board board, URI uri) {
        this.server = server;
        this.kafka = kafka;
        this.control = control;
        this.board = board;
        this.uri = uri;
    }

    /**
     * @param registry where the gateway's metrics live (a test passes its own)
     * @param jvmMetrics also export the JVM's (memory, GC, threads)
     */
    public static Gateway start(
            GatewayConfig config, PrometheusRegistry registry, boolean jvmMetrics)
            throws Exception {
        return start(config, BoardConfig.defaults(prefixOf(config.topics())), registry, jvmMetrics);
    }

    /** The topic prefix the names were made with (the alerts topic's name before "alerts"). */
    static String prefixOf(GatewayConfig.TopicNames t) {
        String alerts = io.tocsin.config.Topics.ALERTS.name();
        return t.alerts().endsWith(alerts)
                ? t.alerts().substring(0, t.alerts().length() - alerts.length())
                : "";
    }

    /**
     * @param boardConfig the incident board's settings (served under /board)
     */
    public static Gateway start(
            GatewayConfig config,
            BoardConfig boardConfig,
            PrometheusRegistry registry,
            boolean jvmMetrics)
            throws Exception {
        Clock clock = Clock.systemUTC();
        SilenceStore store = new SilenceStore(config.silenceRetention(), config.maxSilences());
        KafkaWriter[] kafkaRef = new KafkaWriter[1];
        GatewayMetrics metrics =
                new GatewayMetrics(
                        registry,
                        state -> store.count(state, clock.instant()),
                        () -> kafkaRef[0] != null && kafkaRef[0].ready(),
                        jvmMetrics);
        GatewayConfig.TopicNames topics = config.topics();
        KafkaWriter kafka =
                new KafkaWriter(
                        config.kafka(),
                        config.writeTimeout(),
                        List.of(topics.alerts(), topics.telemetry(), topics.control()),
                        (topic, ok) ->
                                metrics.kafkaWrites.labelValues(topic, ok ? "ok" : "failed").inc());
        kafkaRef[0] = kafka;
        ControlTopicReader control =
                new ControlTopicReader(config.kafka(), topics.control(), store);
        // Kafka may be away at start: serve anyway (writes answer 503, /-/ready says why).
        if (!control.start(config.writeTimeout())) {
            LOG.warn(
                    "control topic {} not read to its end within {}: silences answered so far"
                            + " may be incomplete (/-/ready says so)",
                    topics.control(),
                    config.writeTimeout());
        }
        // The decoder takes whole request bodies; the job's per-record limit applies per alert.
        AlertDecoder decoder = new AlertDecoder(config.policy().severity(), config.maxBodyBytes());
        AlertIngest alerts =
                new AlertIngest(
                        decoder,
                        config.policy().ingest().maxRecordBytes(),
                        kafka,
                        topics,
                        metrics,
                        clock);
        RemoteWriteIngest remoteWrite =
                new RemoteWriteIngest(
                        config.allowList(),
                        config.maxBodyBytes(),
                        kafka,
                        topics.telemetry(),
                        metrics);
        SilenceApi silences = new SilenceApi(store, kafka, topics.control(), metrics, clock);
        StatusApi status =
                new StatusApi(kafka, control, metrics, describe(config), clock.instant());
        BoardState boardState = new BoardState(boardConfig.maxClosed(), 200_000);
        Board board =
                new Board(
                        boardState,
                        new BoardPages(
                                boardState, boardConfig.topology(), config.policy().escalation()),
                        new BoardFeed(
                                config.kafka(),
                                boardConfig.incidentEventsTopic(),
                                topics.alerts(),
                                new AlertDecoder(
                                        config.policy().severity(),
                                        config.policy().ingest().maxRecordBytes()),
                                boardState),
                        boardConfig.users(),
                        boardConfig.clickHouse() == null
                                ? null
                                : BoardHistory.fromEnv(
                                        boardConfig.clickHouse(), boardConfig.clickHouseDatabase()),
                        kafka,
                        boardConfig.commandsTopic());
        board.start();
        GatewayHandler handler =
                new GatewayHandler(
                        alerts,
                        remoteWrite,
                        silences,
                        status,
                        board,
                        metrics,
                        config.maxBodyBytes(),
                        config.bearerToken());

        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("gateway-http");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector;
        String scheme;
        if (config.tls() == null) {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
            scheme = "http";
        } else {
            GatewayConfig.Tls tls = config.tls();
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(tls.keyStore().toString());
            ssl.setKeyStoreType("PKCS12");
            ssl.setKeyStorePassword(tls.keyStorePassword());
            if (tls.trustStore() != null) {
                ssl.setTrustStorePath(tls.trustStore().toString());
                ssl.setTrustStoreType("PKCS12");
                ssl.setTrustStorePassword(tls.trustStorePassword());
                ssl.setNeedClientAuth(true);
            }
            http.addCustomizer(new SecureRequestCustomizer(false));
            connector = new ServerConnector(server, ssl, new HttpConnectionFactory(http));
            scheme = "https";
        }
        connector.setHost(config.host());
        connector.setPort(config.port());
        server.addConnector(connector);
        server.setHandler(handler);
        server.setStopTimeout(5000);
        try {
            server.start();
        } catch (Exception e) {
            board.close();
            control.close();
            kafka.close();
            throw new IllegalStateException(
                    "gateway: cannot listen on " + config.host() + ":" + config.port() + ": " + e,
                    e);
        }
        URI uri = URI.create(scheme + "://" + config.host() + ":" + connector.getLocalPort());
        LOG.info("gateway listening on {} (kafka {})", uri, config.kafka());
        return new Gateway(server, kafka, control, board, uri);
    }

    /** The gateway's settings as Alertmanager's status shows its config (no secrets). */
    private static String describe(GatewayConfig c) {
        return "tocsin-gateway:\n"
                + "  kafka: "
                + c.kafka()
                + "\n  topics: {alerts: "
                + c.topics().alerts()
                + ", telemetry: "
                + c.topics().telemetry()
                + ", control: "
                + c.topics().control()
                + ", deadLetters: "
                + c.topics().deadLetters()
                + "}\n  maxBodyBytes: "
                + c.maxBodyBytes()
                + "\n  remoteWriteAllowList: "
                + c.allowList().size()
                + " selectors\n  auth: "
                + (c.bearerToken() != null ? "bearer" : "none")
                + (c.tls() == null
                        ? ""
                        : c.tls().trustStore() != null ? ", tls client certs" : ", tls")
                + "\n";
    }

    public URI uri() {
        return uri;
    }

    /** The incident board's address. */
    public URI boardUri() {
        return uri.resolve(Board.PREFIX);
    }

    /** Incident events the board has applied so far (tests wait on it). */
    public long boardEventsApplied() {
        return board.state().eventsApplied();
    }

    public int port() {
        return uri.getPort();
    }

    @Override
    public void close() throws Exception {
        // Stop taking requests first, then flush what was accepted, then stop reading silences.
        board.close();
        server.stop();
        kafka.close();
        control.close();
    }
}
