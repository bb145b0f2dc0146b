package io.tocsin.config;

import java.util.Locale;

/**
 * Who a status update is for. Each audience gets its own template and its own model: what a
 * template can name is fixed by the audience, so a customer-facing template cannot reach a service
 * name however it is written.
 */
public enum StatusAudience {
    /** Responders: services, root cause and its evidence, alert counts, who is paged. */
    TECHNICAL,
    /** Internal stakeholders: impact in plain words, severity, status, duration, next update. */
    BUSINESS,
    /** One or two sentences: severity, customer impact, status, next update. */
    EXECUTIVE,
    /** The status page: impact and status only, technical details withheld. */
    CUSTOMER;

    /** The name in the policy file and in update ids: technical, business, executive, customer. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
