package io.tocsin.suppress;

/**
 * One rule version as kept in broadcast state: the rule's JSON body (re-parsed on load, so the
 * state holds no class that could change shape) and its in-force interval.
 */
public class RuleRecord {

    /** "maintenance:ID", "silence:ID" or "inhibit:ID". */
    public String key;

    /** JSON body of the rule, or null for a deletion tombstone. */
    public String json;

    public long from;
    public long until = Long.MAX_VALUE;

    public RuleRecord() {}

    public RuleRecord(String key, String json, long from) {
        this.key = key;
        this.json = json;
        this.from = from;
    }
}
