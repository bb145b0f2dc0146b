package io.tocsin.config;

import java.io.Serializable;
import java.util.Map;
import java.util.Properties;

/**
 * The Kafka cluster a command talks to: its bootstrap servers and how to connect to them.
 *
 * @param bootstrapServers e.g. 127.0.0.1:9092
 * @param security SASL / TLS settings from the environment ({@link KafkaClientSecurity})
 */
public record KafkaEndpoint(String bootstrapServers, KafkaClientSecurity security)
        implements Serializable {

    /** {@code bootstrapServers} with the security settings of {@code env}. */
    public static KafkaEndpoint of(String bootstrapServers, Map<String, String> env) {
        return new KafkaEndpoint(bootstrapServers, KafkaClientSecurity.fromEnvironment(env));
    }

    /** A plaintext endpoint (tests, the local broker's default profile). */
    public static KafkaEndpoint plaintext(String bootstrapServers) {
        return new KafkaEndpoint(bootstrapServers, KafkaClientSecurity.PLAINTEXT);
    }

    /** New client properties: the bootstrap servers and the security settings. */
    public Properties clientProperties() {
        Properties p = security.properties();
        p.setProperty("bootstrap.servers", bootstrapServers);
        return p;
    }

    /** For log lines: the servers and the protocol, never a secret. */
    @Override
    public String toString() {
        return security.secured()
                ? bootstrapServers + " (" + security.protocol() + ")"
                : bootstrapServers;
    }
}
