package io.tocsin.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.avro.IncidentEventType;
import io.tocsin.config.KafkaClientSecurity;
import io.tocsin.config.KafkaEndpoint;
import io.tocsin.config.PolicyLoader;
import io.tocsin.config.Topics;
import io.tocsin.config.Topology;
import io.tocsin.testing.LocalKafkaBroker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The live job, its heartbeats and a client of the demo tools against the local broker's sasl_ssl
 * profile (SASL/SCRAM-SHA-512 over TLS, a local CA): with the settings from the environment
 * everything connects; with a wrong password or without TLS nothing does.
 */
class KafkaSecurityITCase {

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
    static final LocalKafkaBroker KAFKA = LocalKafkaBroker.saslSsl();

    static KafkaEndpoint endpoint;
    static Map<String, String> clientEnv;

    @BeforeAll
    static void topics() throws Exception {
        KAFKA.createTopics("", 1);
        clientEnv = KAFKA.clientEnvironment();
        endpoint = KafkaEndpoint.of(KAFKA.bootstrapServers(), clientEnv);
    }

    @Test
    void theClientSettingsComeFromTheEnvironmentAndHideThePassword() throws Exception {
        assertThat(endpoint.security().protocol()).isEqualTo("SASL_SSL");
        String password =
                Files.readString(Path.of(clientEnv.get("TOCSIN_KAFKA_PASSWORD_FILE"))).strip();
        assertThat(password).isNotEmpty();
        assertThat(endpoint.toString()).doesNotContain(password);
        assertThat(endpoint.security().toString()).doesNotContain(password);
        try (Admin admin = Admin.create(endpoint.clientProperties())) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .contains(Topics.ALERTS.name(), Topics.PAGES.name());
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        Map<String, String> env = new HashMap<>(clientEnv);
        env.remove("TOCSIN_KAFKA_PASSWORD_FILE");
        env.put("TOCSIN_KAFKA_PASSWORD", "not-the-password");
        Properties p = KafkaEndpoint.of(KAFKA.bootstrapServers(), env).clientProperties();
        p.put("default.api.timeout.ms", "15000");
        p.put("request.timeout.ms", "5000");
        try (Admin admin = Admin.create(p)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void aPlaintextClientGetsNothing() {
        Properties p =
                new KafkaEndpoint(KAFKA.bootstrapServers(), KafkaClientSecurity.PLAINTEXT)
                        .clientProperties();
        p.put("default.api.timeout.ms", "5000");
        p.put("request.timeout.ms", "2000");
        try (Admin admin = Admin.create(p)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    void theLiveJobReadsAndWritesOverSaslSsl() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new TocsinJob(
                        new KafkaSources(endpoint, Topics.ALERTS.name(), "security-it", false)
                                .withCommands(Topics.COMMANDS.name()),
                        new LiveSinks(endpoint, "security-it", null, "cluster"),
                        PolicyLoader.loadResource("policy/default.yaml"),
                        Topology.empty(),
                        new TocsinJob.Settings("security-it", 1, Duration.ofSeconds(1)))
                .build(env);
        JobClient job = env.executeAsync("security-it");
        try {
            Thread.sleep(3000);
            Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            String alert =
                    "{\"fingerprint\":\"fp-sec\",\"labels\":{\"alertname\":\"DatabaseDown\","
                            + "\"severity\":\"critical\",\"service\":\"orders-db\"},"
                            + "\"startsAt\":\""
                            + t0
                            + "\",\"status\":\"firing\",\"receivedAt\":\""
                            + t0
                            + "\"}";
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(
                            endpoint.clientProperties(),
                            new ByteArraySerializer(),
                            new ByteArraySerializer())) {
                producer.send(
                                new ProducerRecord<>(
                                        Topics.ALERTS.name(),
                                        alert.getBytes(StandardCharsets.UTF_8)))
                        .get(30, TimeUnit.SECONDS);
            }
            Properties c = endpoint.clientProperties();
            c.put("group.id", "security-it-reader");
            c.put("auto.offset.reset", "earliest");
            List<IncidentEvent> events = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> consumer =
                    new KafkaConsumer<>(
                            c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(Topics.INCIDENT_EVENTS.name()));
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (System.nanoTime() < deadline
                        && events.stream()
                                .noneMatch(e -> e.getType() == IncidentEventType.OPENED)) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        events.add(IncidentEvent.getDecoder().decode(ByteBuffer.wrap(r.value())));
                    }
                }
            }
            assertThat(events)
                    .filteredOn(e -> e.getType() == IncidentEventType.OPENED)
                    .singleElement()
                    .satisfies(
                            e -> {
                                assertThat(e.getAlertService()).isEqualTo("orders-db");
                                assertThat(e.getFirstAlertAt()).isEqualTo(t0);
                            });
        } finally {
            job.cancel().get();
        }
    }
}
