package io.tocsin.suppress;

import io.tocsin.avro.Alert;

/** An alert firing in a domain, as the suppress stage remembers it until it resolves. */
public class FiringEntry {

    /** The firing transition as received (unmarked). */
    public Alert alert;

    /** The rule muting it, or null once it went downstream unmuted. */
    public String mutedBy;

    public FiringEntry() {}

    public FiringEntry(Alert alert, String mutedBy) {
        this.alert = alert;
        this.mutedBy = mutedBy;
    }
}
