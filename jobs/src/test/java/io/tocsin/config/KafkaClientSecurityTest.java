package io.tocsin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSecurityTest {

    @TempDir Path dir;

    @Test
    void plaintextByDefault() {
        KafkaClientSecurity s = KafkaClientSecurity.fromEnvironment(Map.of());
        assertThat(s.properties()).containsExactly(Map.entry("security.protocol", "PLAINTEXT"));
        assertThat(s.secured()).isFalse();
    }

    @Test
    void saslSslFromAPasswordFileAndAPemTruststore() throws Exception {
        Path pw = Files.writeString(dir.resolve("pw"), "s3cr\"et\n");
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        KafkaClientSecurity s =
                KafkaClientSecurity.fromEnvironment(
                        Map.of(
                                "TOCSIN_KAFKA_SECURITY_PROTOCOL",
                                "sasl_ssl",
                                "TOCSIN_KAFKA_USER",
                                "tocsin",
                                "TOCSIN_KAFKA_PASSWORD_FILE",
                                pw.toString(),
                                "TOCSIN_KAFKA_TRUSTSTORE",
                                ca.toString()));
        Properties p = s.properties();
        assertThat(p.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(p.getProperty("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        assertThat(p.getProperty("sasl.jaas.config"))
                .isEqualTo(
                        "org.apache.kafka.common.security.scram.ScramLoginModule required"
                                + " username=\"tocsin\" password=\"s3cr\\\"et\";");
        assertThat(p.getProperty("ssl.truststore.type")).isEqualTo("PEM");
        assertThat(p.getProperty("ssl.truststore.location")).isEqualTo(ca.toString());
        // Never in a log line.
        assertThat(s.toString()).doesNotContain("s3cr").contains("password=***");
        assertThat(new KafkaEndpoint("h:9093", s).toString()).isEqualTo("h:9093 (SASL_SSL)");
    }

    @Test
    void badSettingsFailWithTheVariableAndWhy() {
        assertThatThrownBy(
                        () ->
                                KafkaClientSecurity.fromEnvironment(
                                        Map.of("TOCSIN_KAFKA_SECURITY_PROTOCOL", "TLS")))
                .hasMessageContaining("TOCSIN_KAFKA_SECURITY_PROTOCOL")
                .hasMessageContaining(
                        "'TLS' is not one of PLAINTEXT, SASL_PLAINTEXT, SASL_SSL, SSL");
        assertThatThrownBy(
                        () ->
                                KafkaClientSecurity.fromEnvironment(
                                        Map.of("TOCSIN_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")))
                .hasMessageContaining("TOCSIN_KAFKA_USER")
                .hasMessageContaining("is required with SASL_SSL");
        assertThatThrownBy(
                        () ->
                                KafkaClientSecurity.fromEnvironment(
                                        Map.of(
                                                "TOCSIN_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                                                "TOCSIN_KAFKA_USER", "u")))
                .hasMessageContaining("TOCSIN_KAFKA_PASSWORD");
        assertThatThrownBy(
                        () ->
                                KafkaClientSecurity.fromEnvironment(
                                        Map.of(
                                                "TOCSIN_KAFKA_SECURITY_PROTOCOL",
                                                "SSL",
                                                "TOCSIN_KAFKA_TRUSTSTORE",
                                                dir.resolve("missing.p12").toString())))
                .hasMessageContaining("TOCSIN_KAFKA_TRUSTSTORE")
                .hasMessageContaining("no such readable file");
        assertThatThrownBy(
                        () ->
                                KafkaClientSecurity.fromEnvironment(
                                        Map.of(
                                                "TOCSIN_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                                                "TOCSIN_KAFKA_SASL_MECHANISM", "GSSAPI",
                                                "TOCSIN_KAFKA_USER", "u",
                                                "TOCSIN_KAFKA_PASSWORD", "p")))
                .hasMessageContaining("TOCSIN_KAFKA_SASL_MECHANISM");
    }
}
