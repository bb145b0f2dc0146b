package io.tocsin.config;

import java.io.Serializable;
import java.util.List;

/** The suppression rules a policy file starts with; more arrive through the control topic. */
public record SuppressionPolicy(
        List<MaintenanceWindow> maintenanceWindows,
        List<Silence> silences,
        List<InhibitRule> inhibitRules)
        implements Serializable {

    public SuppressionPolicy {
        maintenanceWindows = List.copyOf(maintenanceWindows);
        silences = List.copyOf(silences);
        inhibitRules = List.copyOf(inhibitRules);
    }

    public static SuppressionPolicy none() {
        return new SuppressionPolicy(List.of(), List.of(), List.of());
    }
}
