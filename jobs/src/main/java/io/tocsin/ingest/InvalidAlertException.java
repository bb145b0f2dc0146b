package io.tocsin.ingest;

/** One alert in a record failed validation; carries a stable code and a reason naming the field. */
public final class InvalidAlertException extends Exception {

    private final RejectReason reason;

    public InvalidAlertException(RejectReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
