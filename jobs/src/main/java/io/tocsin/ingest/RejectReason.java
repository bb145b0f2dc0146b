package io.tocsin.ingest;

/** Stable codes for why a record was dead-lettered; analysts group by them. */
public enum RejectReason {
    MALFORMED_JSON,
    MALFORMED_AVRO,
    NOT_AN_ALERT,
    MISSING_LABELS,
    BAD_LABELS,
    BAD_TIME,
    ENDS_BEFORE_STARTS,
    UNKNOWN_STATUS,
    OVERSIZE,
    WRONG_FORMAT,
    EMPTY,
    NOT_A_METRIC,
    BAD_VALUE,
    NOT_A_COMMAND,
    NOT_A_CHANGE,
    /** Over one of the policy's per-record limits (ingest.maxLabels, ...). */
    OVER_LIMIT
}
