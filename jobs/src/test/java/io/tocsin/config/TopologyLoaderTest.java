package io.tocsin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TopologyLoaderTest {

    private static Topology parse(String json) {
        return TopologyLoader.parse(
                "topology.json", new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void servicesNamedOnlyAsDependenciesAreNodesAndUnknownFieldsAreIgnored() {
        Topology t =
                parse(
                        """
                        {"services":[{"name":"checkout-api","tier":"api","team":"team-checkout",
                          "dependsOn":["payments-svc","users-pg"],"owner":"ignored"}]}""");
        assertThat(t.services()).containsKeys("checkout-api", "payments-svc", "users-pg");
        assertThat(t.dependencies("checkout-api")).containsExactly("payments-svc", "users-pg");
        assertThat(t.dependents("users-pg")).containsExactly("checkout-api");
        assertThat(t.services().get("checkout-api").team()).isEqualTo("team-checkout");
    }

    @Test
    void theBundledDemoTopologyLoads() {
        assertThat(TopologyLoader.loadResource("demo/topology.json").services())
                .hasSizeGreaterThan(10);
    }

    @Test
    void errorsNameTheField() {
        assertThatThrownBy(() -> parse("{\"services\":[{\"tier\":\"api\"}]}"))
                .hasMessage("topology.json: services[0].name: required");
        assertThatThrownBy(() -> parse("{\"services\":[{\"name\":\"a\",\"dependsOn\":[\"a\"]}]}"))
                .hasMessage("topology.json: services[0].dependsOn: service 'a' depends on itself");
        assertThatThrownBy(() -> parse("{\"services\":"))
                .hasMessageStartingWith("topology.json: not valid JSON");
    }
}
