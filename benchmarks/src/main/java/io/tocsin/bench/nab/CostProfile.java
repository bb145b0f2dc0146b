package io.tocsin.bench.nab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** One NAB cost profile: the weights of a true positive, a false positive and a missed window. */
public record CostProfile(String name, double tpWeight, double fpWeight, double fnWeight) {

    /** Reads NAB's {@code config/profiles.json}, in file order. */
    public static List<CostProfile> load(Path profilesJson) throws IOException {
        JsonNode root = new ObjectMapper().readTree(profilesJson.toFile());
        List<CostProfile> profiles = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode m = e.getValue().path("CostMatrix");
            profiles.add(
                    new CostProfile(
                            e.getKey(),
                            required(m, "tpWeight", profilesJson, e.getKey()),
                            required(m, "fpWeight", profilesJson, e.getKey()),
                            required(m, "fnWeight", profilesJson, e.getKey())));
        }
        return profiles;
    }

    private static double required(JsonNode m, String field, Path file, String profile)
            throws IOException {
        if (!m.path(field).isNumber()) {
            throw new IOException(file + ": " + profile + ".CostMatrix." + field + " missing");
        }
        return m.get(field).asDouble();
    }
}
