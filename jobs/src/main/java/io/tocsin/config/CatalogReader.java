package io.tocsin.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a service catalog (YAML, or JSON, which YAML reads too):
 *
 * <pre>
 * services:
 *   users-pg:
 *     team: team-identity
 *     schedule: identity-oncall        # one of the policy's escalation.schedules
 *     runbook: https://runbooks.example.internal/users-pg
 *     tier: datastore
 *     customerTier: gold
 *     region: eu-central-1
 *     vendor: {name: acme-pay, responseSla: 30m}
 * </pre>
 *
 * Unknown fields, a runbook that is not an http(s) URL, a schedule the policy does not define and
 * bad types fail with the file, the field and the reason.
 */
public final class CatalogReader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private CatalogReader() {}

    /** The file as written. */
    record RawCatalog(JsonNode services) {}

    /** One service as written; null where left out. */
    record RawService(
            String team,
            String schedule,
            String runbook,
            String tier,
            String customerTier,
            String region,
            RawVendor vendor) {}

    /** A vendor as written; null where left out. */
    record RawVendor(String name, Duration responseSla) {}

    /**
     * @param schedules the policy's on-call schedule ids a service's schedule must be one of
     */
    public static Catalog load(Path file, Set<String> schedules) {
        return ConfigFiles.fromFile(file, (name, in) -> parse(name, in, schedules));
    }

    public static Catalog loadResource(String resource, Set<String> schedules) {
        return ConfigFiles.fromResource(resource, (name, in) -> parse(name, in, schedules));
    }

    public static Catalog parse(String fileName, InputStream in, Set<String> schedules) {
        JsonNode tree;
        try {
            tree = YAML.readTree(in);
        } catch (IOException e) {
            throw new ConfigException(
                    fileName,
                    "",
                    "not valid YAML or JSON: " + e.getMessage().lines().findFirst().orElse(""),
                    e);
        }
        ConfigNode root = new ConfigNode(fileName, "", tree);
        if (root.isMissing()) {
            throw root.error("empty file");
        }
        return read(root, schedules);
    }

    /**
     * The catalog at {@code root}; {@code schedules} null: schedule names are not checked (a
     * catalog from the control topic, whose escalation policy may change at run time).
     */
    public static Catalog read(ConfigNode root, Set<String> schedules) {
        ConfigBinder.bind(root, RawCatalog.class);
        Map<String, Catalog.Service> out = new LinkedHashMap<>();
        root.get("services")
                .map(v -> v)
                .forEach(
                        (name, n) -> {
                            if (name.isBlank()) {
                                throw n.error("a service name must not be blank");
                            }
                            out.put(name, service(name, n, schedules));
                        });
        return new Catalog(out);
    }

    private static Catalog.Service service(String name, ConfigNode n, Set<String> schedules) {
        if (n.isMissing()) {
            return new Catalog.Service(name, null, null, null, null, null, null, null);
        }
        RawService raw = ConfigBinder.bind(n, RawService.class);
        if (raw.schedule() != null && schedules != null && !schedules.contains(raw.schedule())) {
            throw n.get("schedule")
                    .error(
                            "no schedule '"
                                    + raw.schedule()
                                    + "' in the policy (defined: "
                                    + String.join(", ", new TreeSet<>(schedules))
                                    + ")");
        }
        Catalog.Vendor vendor = null;
        if (raw.vendor() != null) {
            ConfigNode v = n.get("vendor");
            Duration sla = raw.vendor().responseSla();
            if (sla != null) {
                sla = ConfigBinder.positive(v.get("responseSla"), sla, sla);
            }
            vendor =
                    new Catalog.Vendor(
                            ConfigBinder.required(v.get("name"), raw.vendor().name()), sla);
        }
        return new Catalog.Service(
                name,
                blank(n.get("team"), raw.team()),
                blank(n.get("schedule"), raw.schedule()),
                raw.runbook() == null ? null : httpUrl(n.get("runbook"), raw.runbook()),
                blank(n.get("tier"), raw.tier()),
                blank(n.get("customerTier"), raw.customerTier()),
                blank(n.get("region"), raw.region()),
                vendor);
    }

    /** {@code text}, which may be left out but not blank. */
    private static String blank(ConfigNode n, String text) {
        return text == null ? null : ConfigBinder.required(n, text);
    }

    /** {@code text} if it is an absolute http or https URL with a host. */
    static String httpUrl(ConfigNode n, String text) {
        String why = HttpUrls.problem(text);
        if (why != null) {
            throw n.error(why);
        }
        return text;
    }
}
