package io.tocsin.bench.nab;

import java.util.List;
import java.util.function.Supplier;

/**
 * A detector and its tuning grid: every setting the cross-validation may choose from. A family with
 * one setting is untuned (only its threshold is chosen, as for every family).
 *
 * @param name the detector's name in the tables
 * @param grid the settings, each a label and a factory of fresh per-file scorers
 */
public record DetectorFamily(String name, List<Setting> grid) {

    /** One point of the grid. */
    public record Setting(String label, Supplier<SeriesScorer> scorers) {}

    public DetectorFamily {
        if (grid.isEmpty()) {
            throw new IllegalArgumentException(name + ": empty grid");
        }
        grid = List.copyOf(grid);
    }
}
