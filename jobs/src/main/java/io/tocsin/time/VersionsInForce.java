package io.tocsin.time;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The version of a replaceable setting (topology, escalation policy) in force at an event time: the
 * one with the latest start at or before {@code t}, else the initial one from the config files.
 * Versions arrive on the control topic as JSON keyed by the event time they start; each is built
 * into its object once per instance and kept (versions are few: one per control message that
 * replaced the setting, and nothing evicts them today).
 *
 * <p>Not serializable: create it in a function's {@code open()}.
 *
 * @param <T> the built setting
 */
public final class VersionsInForce<T> {

    private final T initial;
    private final Function<String, T> build;
    private final Map<Long, T> built = new HashMap<>();

    /**
     * @param initial in force before the first version, and whenever none has started yet
     * @param build turns one version's JSON into the setting (may throw the config's exception)
     */
    public VersionsInForce(T initial, Function<String, T> build) {
        this.initial = initial;
        this.build = build;
    }

    /** The version in force at {@code t}, given every version by its start time. */
    public T at(Iterable<Map.Entry<Long, String>> versions, long t) {
        long best = Long.MIN_VALUE;
        String json = null;
        for (Map.Entry<Long, String> e : versions) {
            if (e.getKey() <= t && e.getKey() >= best) {
                best = e.getKey();
                json = e.getValue();
            }
        }
        if (json == null) {
            return initial;
        }
        String text = json;
        return built.computeIfAbsent(best, k -> build.apply(text));
    }
}
