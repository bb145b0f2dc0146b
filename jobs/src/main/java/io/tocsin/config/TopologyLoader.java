package io.tocsin.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
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
        Map<String, Topology.Service> services = new HashMap<>();
        for (ConfigNode s : root.get("services").list()) {
            String name = s.get("name").requiredText();
            if (services.containsKey(name)) {
                throw s.get("name").error("service '" + name + "' is listed twice");
            }
            List<String> deps = s.get("dependsOn").textList();
            for (int i = 0; i < deps.size(); i++) {
                if (deps.get(i).equals(name)) {
                    throw s.get("dependsOn").error("service '" + name + "' depends on itself");
                }
            }
            services.put(
                    name,
                    new Topology.Service(
                            name, s.get("tier").text(null), s.get("team").text(null), deps));
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
