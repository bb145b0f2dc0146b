package io.tocsin.control;

import io.tocsin.config.Catalog;
import io.tocsin.config.CatalogReader;
import io.tocsin.config.ConfigNode;

/**
 * A service catalog replacing the one in force, from {@code at} on.
 *
 * @param at event time in epoch millis
 * @param json the catalog as JSON ({@code {"services": {...}}}, the catalog file's shape)
 */
public record CatalogVersion(long at, String json) implements ControlUpdate {

    /**
     * The catalog in a version's JSON (validated when the message was parsed; its schedule names
     * are not checked against the policy, which the control topic may replace too).
     */
    public static Catalog catalogOf(String json) {
        return CatalogReader.read(ConfigNode.parseJson("control", "catalog", json), null);
    }
}
