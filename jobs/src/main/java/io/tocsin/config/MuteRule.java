package io.tocsin.config;

import io.tocsin.avro.Alert;
import java.io.Serializable;
import java.time.Instant;
import java.util.Collection;

/**
 * A rule that can mute an alert, with Alertmanager's semantics: a {@link MaintenanceWindow} or a
 * {@link Silence} mutes alerts whose labels match all its matchers while it is open; an {@link
 * InhibitRule} mutes a target while another firing alert is its source. The suppress stage asks
 * each rule in force the one question, {@link #mutesUntil}, and knows no kind by name.
 */
public sealed interface MuteRule extends Serializable
        permits MaintenanceWindow, Silence, InhibitRule {

    String id();

    /** "maintenance:ID", "silence:ID" or "inhibit:ID": the rule named in a muted alert. */
    String key();

    /** Which rule names a mute when several apply: maintenance, then silence, then inhibition. */
    int precedence();

    /** Whether the answer depends on the other firing alerts (only inhibition does). */
    default boolean needsFiringAlerts() {
        return false;
    }

    /**
     * Until when this rule mutes {@code alert} at {@code at} (epoch millis; {@code Long.MAX_VALUE}
     * when an event, not a time, ends it), or null when it does not mute it.
     *
     * @param firing the other alerts firing in the domain (candidate inhibition sources)
     */
    Long mutesUntil(Alert alert, Instant at, Collection<Alert> firing);
}
