package io.tocsin.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A real single-node KRaft Kafka broker inside the test JVM (Kafka's own test kit). */
public final class InJvmKafka implements BeforeAllCallback, AfterAllCallback {

    private KafkaClusterTestKit cluster;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        cluster =
                new KafkaClusterTestKit.Builder(
                                new TestKitNodes.Builder()
                                        .setCombined(true)
                                        .setNumBrokerNodes(1)
                                        .setNumControllerNodes(1)
                                        .build())
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        // Output records carry their event time as Kafka timestamp, and test
                        // fixtures have fixed dates: time-based retention (measured from now)
                        // would delete them at the broker's first retention check.
                        .setConfigProp("log.retention.ms", "-1")
                        .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Creates topics named {@code prefix + name}; tests give each run its own prefix. */
    public void createTopics(int partitions, String... names) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            List<NewTopic> topics = new ArrayList<>();
            for (String n : names) {
                topics.add(new NewTopic(n, partitions, (short) 1));
            }
            admin.createTopics(topics).all().get();
        }
    }
}
