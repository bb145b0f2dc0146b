package io.tocsin.config;

import static io.tocsin.config.ConfigBinder.required;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the topology file (DESIGN.md file contract): {@code {"services": [{"name", "tier", "team",
 * "dependsOn": [...]}]}}. Unknown fields are ignored, as the contract says.
 */
public final class TopologyLoader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TopologyLoader() {}

    public static Topology load(Path file) {
        return ConfigFiles.fromFile(file, TopologyLoader::parse);
    }

    /** Loads a topology bundled on the classpath. */
    public static Topology loadResource(String resource) {
        return ConfigFiles.fromResource(resource, TopologyLoader::parse);
    }

    /** The file as written; fields it does not know are ignored, as the contract says. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record RawTopology(List<RawService> services) {}

    /** One entry of {@code services} as written; null where left out. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record RawService(String name, String tier, String team, List<String> dependsOn) {
        static final RawService NONE = new RawService(null, null, null, null);
    }

    public static Topology parse(String fileName, InputStream in) {
        JsonNode tree;
        try {
            tree = JSON.readTree(in);
        } catch (IOException e) {
            throw new ConfigException(
                    fileName,
                    "",
                    "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""),
                    e);
        }
        ConfigNode root = new ConfigNode(fileName, "", tree);
        if (root.isMissing()) {
            throw root.error("empty file");
        }
        RawTopology raw = ConfigBinder.bind(root, RawTopology.class);
        List<ConfigNode> at = root.get("services").list();
        List<RawService> listed = raw.services() == null ? List.of() : raw.services();
        Map<String, Topology.Service> services = new HashMap<>();
        for (int i = 0; i < listed.size(); i++) {
            ConfigNode s = at.get(i);
            RawService r = listed.get(i) == null ? RawService.NONE : listed.get(i);
            String name = required(s.get("name"), r.name());
            if (services.containsKey(name)) {
                throw s.get("name").error("service '" + name + "' is listed twice");
            }
            List<ConfigNode> depsAt = s.get("dependsOn").list();
            List<String> deps = new ArrayList<>();
            for (int j = 0; r.dependsOn() != null && j < r.dependsOn().size(); j++) {
                deps.add(required(depsAt.get(j), r.dependsOn().get(j)));
            }
            for (int j = 0; j < deps.size(); j++) {
                if (deps.get(j).equals(name)) {
                    throw s.get("dependsOn").error("service '" + name + "' depends on itself");
                }
            }
            services.put(name, new Topology.Service(name, r.tier(), r.team(), deps));
        }
        // Services named only as dependencies are nodes too.
        Map<String, Topology.Service> all = new HashMap<>(services);
        for (Topology.Service s : services.values()) {
            for (String d : s.dependsOn()) {
                all.putIfAbsent(d, new Topology.Service(d, null, null, List.of()));
            }
        }
        return new Topology(all);
    }
}
