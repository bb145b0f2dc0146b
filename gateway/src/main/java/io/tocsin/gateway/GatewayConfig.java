package io.tocsin.gateway;

import io.tocsin.config.KafkaEndpoint;
import io.tocsin.config.Policy;
import io.tocsin.config.Topics;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the gateway needs, parsed once at start (see {@link GatewayMain} for the options).
 *
 * @param host address to listen on
 * @param port port to listen on, 0 for any free one
 * @param kafka bootstrap servers and the SASL / TLS settings of the Kafka clients
 * @param topics where alerts, samples, silences and refused input go
 * @param policy the job's policy: severity table and ingest.maxRecordBytes
 * @param maxBodyBytes larger request bodies (and decompressed remote-write bodies) are answered 413
 * @param writeTimeout how long a request waits for Kafka before it is answered 503
 * @param allowList remote-written series forwarded to the telemetry topic
 * @param bearerToken required as {@code Authorization: Bearer ...} on every API call, or null
 * @param tls HTTPS settings, or null for plain HTTP
 * @param silenceRetention how long an ended silence is still listed (Alertmanager: 120h)
 * @param maxSilences live silences the API creates at most
 */
public record GatewayConfig(
        String host,
        int port,
        KafkaEndpoint kafka,
        TopicNames topics,
        Policy policy,
        int maxBodyBytes,
        Duration writeTimeout,
        SeriesAllowList allowList,
        String bearerToken,
        Tls tls,
        Duration silenceRetention,
        int maxSilences) {

    /** The topics the gateway writes and reads. */
    public record TopicNames(String alerts, String telemetry, String control, String deadLetters) {

        public static TopicNames defaults() {
            return withPrefix("");
        }

        public static TopicNames withPrefix(String prefix) {
            return new TopicNames(
                    prefix + Topics.ALERTS.name(),
                    prefix + Topics.TELEMETRY.name(),
                    prefix + Topics.CONTROL.name(),
                    prefix + Topics.DEAD_LETTERS.name());
        }
    }

    /**
     * HTTPS with the server's key in a PKCS12 keystore; with a truststore, clients must present a
     * certificate it trusts (mutual TLS).
     */
    public record Tls(
            Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword) {}

    /** Defaults for tests and the local stack: loopback, any free port, no auth. */
    public static GatewayConfig local(String kafka, TopicNames topics, Policy policy) {
        return new GatewayConfig(
                "127.0.0.1",
                0,
                KafkaEndpoint.plaintext(kafka),
                topics,
                policy,
                4 * 1024 * 1024,
                Duration.ofSeconds(10),
                SeriesAllowList.none(),
                null,
                null,
                Duration.ofHours(120),
                10_000);
    }

    /** The same gateway on another Kafka endpoint (e.g. with SASL / TLS settings). */
    public GatewayConfig withKafka(KafkaEndpoint endpoint) {
        return new GatewayConfig(
                host,
                port,
                endpoint,
                topics,
                policy,
                maxBodyBytes,
                writeTimeout,
                allowList,
                bearerToken,
                tls,
                silenceRetention,
                maxSilences);
    }

    public GatewayConfig withAllowList(SeriesAllowList allow) {
        return new GatewayConfig(
                host,
                port,
                kafka,
                topics,
                policy,
                maxBodyBytes,
                writeTimeout,
                allow,
                bearerToken,
                tls,
                silenceRetention,
                maxSilences);
    }

    public GatewayConfig withBearerToken(String token) {
        return new GatewayConfig(
                host,
                port,
                kafka,
                topics,
                policy,
                maxBodyBytes,
                writeTimeout,
                allowList,
                token,
                tls,
                silenceRetention,
                maxSilences);
    }

    public GatewayConfig withTls(Tls tls) {
        return new GatewayConfig(
                host,
                port,
                kafka,
                topics,
                policy,
                maxBodyBytes,
                writeTimeout,
                allowList,
                bearerToken,
                tls,
                silenceRetention,
                maxSilences);
    }

    public GatewayConfig withMaxBodyBytes(int bytes) {
        return new GatewayConfig(
                host,
                port,
                kafka,
                topics,
                policy,
                bytes,
                writeTimeout,
                allowList,
                bearerToken,
                tls,
                silenceRetention,
                maxSilences);
    }

    public GatewayConfig withWriteTimeout(Duration timeout) {
        return new GatewayConfig(
                host,
                port,
                kafka,
                topics,
                policy,
                maxBodyBytes,
                timeout,
                allowList,
                bearerToken,
                tls,
                silenceRetention,
                maxSilences);
    }
}
