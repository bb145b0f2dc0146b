package io.tocsin.config;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * How every Tocsin Kafka client (the job's sources, sinks and heartbeats, the gateway, the demo and
 * benchmark tools) authenticates to the brokers and protects the connection. From the environment
 * only, like the ClickHouse credentials, so no secret sits in a policy file, a command line or a
 * log:
 *
 * <ul>
 *   <li>{@code TOCSIN_KAFKA_SECURITY_PROTOCOL}: PLAINTEXT (default), SSL, SASL_PLAINTEXT or
 *       SASL_SSL
 *   <li>{@code TOCSIN_KAFKA_SASL_MECHANISM}: SCRAM-SHA-512 (default), SCRAM-SHA-256 or PLAIN
 *   <li>{@code TOCSIN_KAFKA_USER}, and {@code TOCSIN_KAFKA_PASSWORD} or {@code
 *       TOCSIN_KAFKA_PASSWORD_FILE} (SASL)
 *   <li>{@code TOCSIN_KAFKA_TRUSTSTORE}: the CA certificates to trust, a PEM file or a PKCS12/JKS
 *       store with {@code TOCSIN_KAFKA_TRUSTSTORE_PASSWORD(_FILE)} (TLS; the JVM's default CAs when
 *       unset)
 *   <li>{@code TOCSIN_KAFKA_KEYSTORE}: a PKCS12 client key and certificate for brokers that require
 *       mutual TLS, with {@code TOCSIN_KAFKA_KEYSTORE_PASSWORD(_FILE)}
 * </ul>
 *
 * Host names are verified (Kafka's default). Passwords reach Kafka as its PASSWORD-typed settings,
 * which Kafka's own config logging prints as {@code [hidden]}; {@link #toString} hides them too.
 */
public record KafkaClientSecurity(
        String protocol,
        String saslMechanism,
        String user,
        String password,
        String truststore,
        String truststorePassword,
        String keystore,
        String keystorePassword)
        implements Serializable {

    public static final KafkaClientSecurity PLAINTEXT =
            new KafkaClientSecurity("PLAINTEXT", null, null, null, null, null, null, null);

    private static final Set<String> PROTOCOLS =
            Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final Set<String> MECHANISMS = Set.of("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN");
    private static final String WHERE = "environment";

    /** The settings from {@code env} (usually {@code System.getenv()}); fails fast on a bad one. */
    public static KafkaClientSecurity fromEnvironment(Map<String, String> env) {
        String protocol =
                env.getOrDefault("TOCSIN_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT")
                        .strip()
                        .toUpperCase(Locale.ROOT);
        if (!PROTOCOLS.contains(protocol)) {
            throw new ConfigException(
                    WHERE,
                    "TOCSIN_KAFKA_SECURITY_PROTOCOL",
                    "'" + protocol + "' is not one of " + sorted(PROTOCOLS));
        }
        boolean sasl = protocol.startsWith("SASL_");
        boolean tls = protocol.endsWith("SSL");
        String mechanism = null;
        String user = null;
        String password = null;
        if (sasl) {
            mechanism =
                    env.getOrDefault("TOCSIN_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                            .strip()
                            .toUpperCase(Locale.ROOT);
            if (!MECHANISMS.contains(mechanism)) {
                throw new ConfigException(
                        WHERE,
                        "TOCSIN_KAFKA_SASL_MECHANISM",
                        "'" + mechanism + "' is not one of " + sorted(MECHANISMS));
            }
            user = env.get("TOCSIN_KAFKA_USER");
            if (user == null || user.isBlank()) {
                throw new ConfigException(
                        WHERE, "TOCSIN_KAFKA_USER", "is required with " + protocol);
            }
            password = secret(env, "TOCSIN_KAFKA_PASSWORD");
            if (password == null) {
                throw new ConfigException(
                        WHERE,
                        "TOCSIN_KAFKA_PASSWORD",
                        "is required with "
                                + protocol
                                + " (or TOCSIN_KAFKA_PASSWORD_FILE, a file holding it)");
            }
        }
        String truststore = null;
        String truststorePassword = null;
        String keystore = null;
        String keystorePassword = null;
        if (tls) {
            truststore = existingFile(env, "TOCSIN_KAFKA_TRUSTSTORE");
            truststorePassword = secret(env, "TOCSIN_KAFKA_TRUSTSTORE_PASSWORD");
            if (truststore != null && !isPem(truststore) && truststorePassword == null) {
                throw new ConfigException(
                        WHERE,
                        "TOCSIN_KAFKA_TRUSTSTORE_PASSWORD",
                        "is required for the store " + truststore + " (a .pem file needs none)");
            }
            keystore = existingFile(env, "TOCSIN_KAFKA_KEYSTORE");
            keystorePassword = secret(env, "TOCSIN_KAFKA_KEYSTORE_PASSWORD");
            if (keystore != null && keystorePassword == null) {
                throw new ConfigException(
                        WHERE,
                        "TOCSIN_KAFKA_KEYSTORE_PASSWORD",
                        "is required for the key store " + keystore);
            }
        }
        return new KafkaClientSecurity(
                protocol,
                mechanism,
                user,
                password,
                truststore,
                truststorePassword,
                keystore,
                keystorePassword);
    }

    /** The client settings to add to any Kafka producer, consumer or admin client's properties. */
    public Properties properties() {
        Properties p = new Properties();
        p.setProperty("security.protocol", protocol);
        if (saslMechanism != null) {
            p.setProperty("sasl.mechanism", saslMechanism);
            String module =
                    saslMechanism.equals("PLAIN")
                            ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                            : "org.apache.kafka.common.security.scram.ScramLoginModule";
            p.setProperty(
                    "sasl.jaas.config",
                    module
                            + " required username=\""
                            + jaasQuoted(user)
                            + "\" password=\""
                            + jaasQuoted(password)
                            + "\";");
        }
        if (truststore != null) {
            p.setProperty("ssl.truststore.location", truststore);
            if (isPem(truststore)) {
                p.setProperty("ssl.truststore.type", "PEM");
            } else {
                p.setProperty("ssl.truststore.type", storeType(truststore));
                p.setProperty("ssl.truststore.password", truststorePassword);
            }
        }
        if (keystore != null) {
            p.setProperty("ssl.keystore.location", keystore);
            p.setProperty("ssl.keystore.type", storeType(keystore));
            p.setProperty("ssl.keystore.password", keystorePassword);
            p.setProperty("ssl.key.password", keystorePassword);
        }
        return p;
    }

    /** Adds {@link #properties()} to {@code target} and returns it. */
    public Properties applyTo(Properties target) {
        target.putAll(properties());
        return target;
    }

    /** Whether the connection is authenticated (SASL) or encrypted (TLS), for log lines. */
    public boolean secured() {
        return !protocol.equals("PLAINTEXT");
    }

    @Override
    public String toString() {
        return "KafkaClientSecurity[protocol="
                + protocol
                + (saslMechanism == null ? "" : ", mechanism=" + saslMechanism + ", user=" + user)
                + (password == null ? "" : ", password=***")
                + (truststore == null ? "" : ", truststore=" + truststore)
                + (keystore == null ? "" : ", keystore=" + keystore)
                + "]";
    }

    /** {@code NAME}, or the stripped content of the file {@code NAME_FILE}; null when neither. */
    private static String secret(Map<String, String> env, String name) {
        String file = env.get(name + "_FILE");
        if (file != null && !file.isBlank()) {
            try {
                return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ConfigException(file, name + "_FILE", "cannot read: " + e, e);
            }
        }
        String value = env.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    private static String existingFile(Map<String, String> env, String name) {
        String file = env.get(name);
        if (file == null || file.isBlank()) {
            return null;
        }
        if (!Files.isReadable(Path.of(file))) {
            throw new ConfigException(file, name, "no such readable file");
        }
        return file;
    }

    private static boolean isPem(String file) {
        String f = file.toLowerCase(Locale.ROOT);
        return f.endsWith(".pem") || f.endsWith(".crt");
    }

    private static String storeType(String file) {
        return file.toLowerCase(Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12";
    }

    /** A JAAS option value is a quoted string: backslash and quote must be escaped. */
    private static String jaasQuoted(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String sorted(Set<String> s) {
        return String.join(", ", new TreeSet<>(s));
    }
}
