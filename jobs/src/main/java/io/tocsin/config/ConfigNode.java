package io.tocsin.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A read-only view of one node of a parsed YAML/JSON config file that knows its path, so every
 * error names the file and the field (e.g. {@code policy.yaml: dedupe.resolveTimeout: ...}).
 */
public final class ConfigNode {

    private final String file;
    private final String path;
    private final JsonNode node;

    public ConfigNode(String file, String path, JsonNode node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    public String file() {
        return file;
    }

    public String path() {
        return path;
    }

    /** The underlying node (null when absent), for {@link ConfigBinder}. */
    JsonNode node() {
        return node;
    }

    public boolean isMissing() {
        return node == null || node.isMissingNode() || node.isNull();
    }

    public ConfigException error(String reason) {
        return new ConfigException(file, path, reason);
    }

    private String childPath(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** Child object or a missing node; fails when this node is not an object. */
    public ConfigNode get(String name) {
        if (isMissing()) {
            return new ConfigNode(file, childPath(name), null);
        }
        if (!node.isObject()) {
            throw error("expected a mapping, found " + node.getNodeType().name().toLowerCase());
        }
        return new ConfigNode(file, childPath(name), node.get(name));
    }

    /**
     * Fails naming the first field that is not in {@code allowed}: typos must not pass silently.
     */
    public ConfigNode allowOnly(Set<String> allowed) {
        if (isMissing()) {
            return this;
        }
        if (!node.isObject()) {
            throw error("expected a mapping, found " + node.getNodeType().name().toLowerCase());
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!allowed.contains(n)) {
                throw new ConfigException(
                        file,
                        childPath(n),
                        "unknown field (allowed here: " + String.join(", ", sorted(allowed)) + ")");
            }
        }
        return this;
    }

    private static List<String> sorted(Set<String> s) {
        List<String> l = new ArrayList<>(s);
        l.sort(String::compareTo);
        return l;
    }

    public String text(String def) {
        if (isMissing()) {
            return def;
        }
        if (!node.isValueNode()) {
            throw error(
                    "expected a single value, found " + node.getNodeType().name().toLowerCase());
        }
        return node.asText();
    }

    public String requiredText() {
        String t = text(null);
        if (t == null || t.isBlank()) {
            throw error("required");
        }
        return t;
    }

    /**
     * A JSON document (e.g. a control message's body) as a node at {@code path} of {@code file}.
     */
    public static ConfigNode parseJson(String file, String path, String json) {
        try {
            return new ConfigNode(
                    file, path, new com.fasterxml.jackson.databind.ObjectMapper().readTree(json));
        } catch (java.io.IOException e) {
            throw new ConfigException(file, path, "not JSON: " + e.getMessage());
        }
    }

    public List<ConfigNode> list() {
        if (isMissing()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw error("expected a list, found " + node.getNodeType().name().toLowerCase());
        }
        List<ConfigNode> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(new ConfigNode(file, path + "[" + i + "]", node.get(i)));
        }
        return out;
    }

    /** Entries of a mapping in file order, each value converted with {@code value}. */
    public <V> Map<String, V> map(Function<ConfigNode, V> value) {
        Map<String, V> out = new LinkedHashMap<>();
        if (isMissing()) {
            return out;
        }
        if (!node.isObject()) {
            throw error("expected a mapping, found " + node.getNodeType().name().toLowerCase());
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(
                    e.getKey(),
                    value.apply(new ConfigNode(file, childPath(e.getKey()), e.getValue())));
        }
        return out;
    }
}
