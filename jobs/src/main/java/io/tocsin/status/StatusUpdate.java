package io.tocsin.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One rendered status update for one audience of one incident (a Flink POJO). Written as JSON
 * ({@link StatusUpdateJson}): like pages, an update is a finished message for a delivery system
 * (mail, SMS, chat, a status page), not a typed record another Tocsin stage reads, so it needs no
 * Avro schema; its idempotence key is {@link #updateId}.
 */
public class StatusUpdate {

    /**
     * {@code <incidentId>/<audience>/<n>}, n the seq of the incident event that sent it: unique and
     * the same on every replay, even across a reopen (no counter survives a resolve).
     */
    public String updateId;

    public String incidentId;

    /** technical, business, executive or customer. */
    public String audience;

    /** Seq of the incident event that sent the update. */
    public long seq;

    /** Event time of that event, epoch millis. */
    public long eventTime;

    /** What the update reports, in trigger order (several when held-back ones are folded in). */
    public List<String> triggers = new ArrayList<>();

    /** True for the first update this audience gets about the incident. */
    public boolean first;

    public String severity;

    public String status;

    /** Where it goes (policy channel rules), e.g. email, sms, status-page. */
    public List<String> channels = new ArrayList<>();

    public String subject;

    public String text;

    public StatusUpdate() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StatusUpdate u)) {
            return false;
        }
        return StatusUpdateJson.toJson(this).equals(StatusUpdateJson.toJson(u));
    }

    @Override
    public int hashCode() {
        return Objects.hash(updateId, text);
    }

    @Override
    public String toString() {
        return StatusUpdateJson.toJson(this);
    }
}
