package io.tocsin.bench.correlation;

import io.tocsin.bench.scenarios.MeshFamily;
import io.tocsin.bench.scenarios.PlatformFamily;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The scenario families the benchmark knows, each its own generator with its own statistics
 * (topology shape, label conventions, propagation, delays, noise, documented topology), so that
 * parameters chosen on one can be reported honestly on the others.
 */
public enum ScenarioFamily {
    /** {@link ScenarioGenerator}: four tiers, every service in every cluster, full topology. */
    LAYERED(List.of(15, 40, 100), Duration.ZERO),
    /** {@link MeshFamily}: preferential-attachment mesh across clusters, 15% of edges missing. */
    MESH(List.of(48, 80, 150), Duration.ofHours(6)),
    /** {@link PlatformFamily}: shared platform and product spokes, platform edges undocumented. */
    PLATFORM(List.of(48, 80, 150), Duration.ofHours(6));

    private final List<Integer> defaultSizes;
    private final Duration defaultWarmup;

    ScenarioFamily(List<Integer> defaultSizes, Duration defaultWarmup) {
        this.defaultSizes = defaultSizes;
        this.defaultWarmup = defaultWarmup;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public List<Integer> defaultSizes() {
        return defaultSizes;
    }

    /** History generated before the scored part, for the correlator to learn from. */
    public Duration defaultWarmup() {
        return defaultWarmup;
    }

    /** The scenario of a seed and size: same arguments, same bytes. */
    public Scenario generate(long seed, int size, Duration horizon, Duration warmup) {
        return switch (this) {
            case LAYERED -> {
                if (!warmup.isZero()) {
                    throw new IllegalArgumentException("the layered family has no warm-up");
                }
                yield ScenarioGenerator.generate(
                        seed, ScenarioGenerator.Settings.forSize(size).withHorizon(horizon));
            }
            case MESH -> MeshFamily.generate(seed, new MeshFamily.Settings(size, warmup, horizon));
            case PLATFORM ->
                    PlatformFamily.generate(
                            seed, new PlatformFamily.Settings(size, warmup, horizon));
        };
    }

    /** The family named {@code id} (case-insensitive). */
    public static ScenarioFamily of(String id) {
        for (ScenarioFamily f : values()) {
            if (f.id().equalsIgnoreCase(id.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException(
                "unknown scenario family '" + id + "' (layered, mesh, platform)");
    }
}
