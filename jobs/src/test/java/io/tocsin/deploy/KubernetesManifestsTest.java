package io.tocsin.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.tocsin.config.Topics;
import io.tocsin.testing.LocalClickHouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every manifest under deploy/kubernetes is valid against the CRD of its kind (the Flink Kubernetes
 * Operator's FlinkDeployment and FlinkSessionJob, Strimzi's KafkaTopic and KafkaUser, vendored in
 * deploy/kubernetes/crds), with unknown fields rejected as {@code kubectl apply --validate=strict}
 * does: a misspelt field fails the build instead of being dropped by the API server.
 */
class KubernetesManifestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Path DIR = LocalClickHouse.projectRoot().resolve("deploy/kubernetes");

    /** "group/version Kind" to the CRD's schema of that version. */
    private static final Map<String, Schema> SCHEMAS = new HashMap<>();

    @BeforeAll
    static void loadCrds() throws IOException {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
        try (Stream<Path> files = Files.list(DIR.resolve("crds"))) {
            for (Path f : files.filter(KubernetesManifestsTest::isYaml).toList()) {
                JsonNode crd = YAML.readTree(f.toFile());
                String group = crd.path("spec").path("group").asText();
                String kind = crd.path("spec").path("names").path("kind").asText();
                for (JsonNode v : crd.path("spec").path("versions")) {
                    ObjectNode schema = v.path("schema").path("openAPIV3Schema").deepCopy();
                    // The API server takes these on every object, listed in the CRD or not.
                    ObjectNode props = schema.with("properties");
                    props.putIfAbsent("apiVersion", JSON.createObjectNode().put("type", "string"));
                    props.putIfAbsent("kind", JSON.createObjectNode().put("type", "string"));
                    props.putIfAbsent("metadata", JSON.createObjectNode().put("type", "object"));
                    strict(schema);
                    SCHEMAS.put(
                            group + "/" + v.path("name").asText() + " " + kind,
                            registry.getSchema(JSON.writeValueAsString(schema), InputFormat.JSON));
                }
            }
        }
        assertThat(SCHEMAS.keySet())
                .contains(
                        "flink.apache.org/v1beta1 FlinkDeployment",
                        "flink.apache.org/v1beta1 FlinkSessionJob",
                        "kafka.strimzi.io/v1 KafkaTopic",
                        "kafka.strimzi.io/v1 KafkaUser");
    }

    @Test
    void everyManifestIsValidAgainstItsCrd() throws IOException {
        List<JsonNode> docs = manifests();
        assertThat(docs).isNotEmpty();
        Set<String> kinds = new TreeSet<>();
        for (JsonNode d : docs) {
            kinds.add(d.path("kind").asText());
            assertThat(errors(d))
                    .as("%s %s", d.path("kind").asText(), d.path("metadata").path("name").asText())
                    .isEmpty();
        }
        assertThat(kinds).contains("FlinkDeployment", "KafkaTopic", "KafkaUser");
    }

    @Test
    void aMisspeltOrMistypedFieldFails() throws IOException {
        JsonNode topic =
                manifests().stream()
                        .filter(d -> d.path("kind").asText().equals("KafkaTopic"))
                        .findFirst()
                        .orElseThrow();
        ObjectNode typo = topic.deepCopy();
        ((ObjectNode) typo.path("spec")).set("partitons", typo.path("spec").path("partitions"));
        ((ObjectNode) typo.path("spec")).remove("partitions");
        assertThat(errors(typo)).as("spec.partitons").isNotEmpty();

        ObjectNode wrongType = topic.deepCopy();
        ((ObjectNode) wrongType.path("spec")).put("partitions", "eight");
        assertThat(errors(wrongType)).as("partitions: eight").isNotEmpty();

        JsonNode flink =
                manifests().stream()
                        .filter(d -> d.path("kind").asText().equals("FlinkDeployment"))
                        .findFirst()
                        .orElseThrow();
        ObjectNode badMode = flink.deepCopy();
        ((ObjectNode) badMode.path("spec").path("job")).put("upgradeMode", "savepiont");
        assertThat(errors(badMode)).as("upgradeMode: savepiont").isNotEmpty();
    }

    @Test
    void everyTopicHasAKafkaTopicAndTheFlinkDeploymentIsWhatTheIssueAsks() throws IOException {
        Map<String, JsonNode> topics = new HashMap<>();
        JsonNode flink = null;
        for (JsonNode d : manifests()) {
            if (d.path("kind").asText().equals("KafkaTopic")) {
                topics.put(d.path("metadata").path("name").asText(), d);
            } else if (d.path("kind").asText().equals("FlinkDeployment")) {
                flink = d;
            }
        }
        for (Topics t : Topics.all()) {
            assertThat(topics).as("a KafkaTopic for %s", t.name()).containsKey(t.name());
            assertThat(topics.get(t.name()).path("spec").path("partitions").asInt())
                    .as("%s partitions", t.name())
                    .isGreaterThanOrEqualTo(t.partitions());
        }
        assertThat(flink).isNotNull();
        JsonNode spec = flink.path("spec");
        JsonNode conf = spec.path("flinkConfiguration");
        assertThat(spec.path("job").path("upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(spec.path("job").path("entryClass").asText())
                .isEqualTo("io.tocsin.cli.ClusterJob");
        assertThat(conf.path("high-availability.type").asText()).isEqualTo("kubernetes");
        assertThat(conf.path("state.backend.type").asText()).isEqualTo("rocksdb");
        assertThat(conf.path("execution.checkpointing.dir").asText()).startsWith("s3://");
        assertThat(conf.path("execution.checkpointing.savepoint-dir").asText()).startsWith("s3://");
    }

    private static List<String> errors(JsonNode manifest) throws IOException {
        String key = manifest.path("apiVersion").asText() + " " + manifest.path("kind").asText();
        Schema schema = SCHEMAS.get(key);
        assertThat(schema).as("a vendored CRD for %s", key).isNotNull();
        List<String> out = new ArrayList<>();
        for (Error e : schema.validate(JSON.writeValueAsString(manifest), InputFormat.JSON)) {
            out.add(e.toString());
        }
        return out;
    }

    /** Every YAML document of every manifest file (crds/ excluded). */
    private static List<JsonNode> manifests() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.filter(KubernetesManifestsTest::isYaml).sorted().toList()) {
                try (var parser = new YAMLFactory().createParser(f.toFile())) {
                    var it = YAML.readValues(parser, JsonNode.class);
                    while (it.hasNext()) {
                        JsonNode d = it.next();
                        if (d != null && !d.isEmpty()) {
                            out.add(d);
                        }
                    }
                }
            }
        }
        return out;
    }

    private static boolean isYaml(Path f) {
        String n = f.getFileName().toString();
        return Files.isRegularFile(f) && (n.endsWith(".yaml") || n.endsWith(".yml"));
    }

    /**
     * Unknown fields are errors: every object schema that lists its properties, and neither keeps
     * unknown fields ({@code x-kubernetes-preserve-unknown-fields}) nor says what other properties
     * may be, gets {@code additionalProperties: false}.
     */
    private static void strict(JsonNode schema) {
        if (schema instanceof ObjectNode o) {
            if (o.has("properties")
                    && !o.has("additionalProperties")
                    && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                o.put("additionalProperties", false);
            }
            o.elements().forEachRemaining(KubernetesManifestsTest::strict);
        } else if (schema.isArray()) {
            schema.elements().forEachRemaining(KubernetesManifestsTest::strict);
        }
    }
}
