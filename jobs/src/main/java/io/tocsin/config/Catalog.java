package io.tocsin.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The service catalog: per service its owner team, on-call schedule, runbook, tier, customer tier,
 * region and vendor (read by {@link CatalogReader} from the {@code --catalog} file, or replaced at
 * run time by a control message). Every field but the name may be left out (null). A service the
 * alerts name but the catalog does not is simply not enriched.
 */
public record Catalog(Map<String, Service> services) implements Serializable {

    /**
     * One service's entry.
     *
     * @param team owner team
     * @param schedule the policy's on-call schedule for it
     * @param runbook http(s) URL
     * @param tier service tier (e.g. datastore, api)
     * @param customerTier which customers it serves (e.g. gold)
     * @param region where it runs (e.g. eu-central-1)
     * @param vendor the outside provider behind it, if any
     */
    public record Service(
            String name,
            String team,
            String schedule,
            String runbook,
            String tier,
            String customerTier,
            String region,
            Vendor vendor)
            implements Serializable {}

    /**
     * An outside provider.
     *
     * @param responseSla how fast the vendor promised to respond (null: not known)
     */
    public record Vendor(String name, Duration responseSla) implements Serializable {}

    public Catalog {
        services = Map.copyOf(services);
    }

    public static Catalog empty() {
        return new Catalog(Map.of());
    }

    public boolean isEmpty() {
        return services.isEmpty();
    }

    public Optional<Service> service(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(services.get(name));
    }
}
