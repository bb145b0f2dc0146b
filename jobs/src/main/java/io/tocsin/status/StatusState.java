package io.tocsin.status;

/**
 * What the status stage keeps per open incident (a Flink POJO): per audience when it was last told,
 * what the rate limit holds back and the severity it last heard; for the technical audience who was
 * paged and the root cause's evidence. Cleared when the incident resolves or merges.
 *
 * <p>Bound: 4 audiences x (8 + 4 + ~8) bytes, at most {@link #MAX_PAGED} paged targets and {@link
 * #MAX_EVIDENCE} evidence entries of at most {@link #MAX_EVIDENCE_CHARS} characters: under 3.5 KB
 * per open incident at worst, about 400 bytes for the demo's main incident (2 targets, 4 evidence
 * entries).
 */
public class StatusState {

    static final int MAX_PAGED = 8;
    static final int MAX_EVIDENCE = 12;
    static final int MAX_EVIDENCE_CHARS = 200;

    /** Event time of the last update per audience (by ordinal); NEVER when not told yet. */
    public long[] lastSentAt;

    /** Per audience, the triggers held back by the rate limit (bit = trigger ordinal). */
    public int[] pending;

    /** Per audience, the severity in its last update (null when not told yet). */
    public String[] lastSeverity;

    /** Who has been paged, in order, distinct. */
    public String[] paged = new String[0];

    /** The root cause's evidence as {@code key=value}, sorted by key. */
    public String[] evidence = new String[0];

    /** The incident resolved and fired again. */
    public boolean reopened;

    static final long NEVER = Long.MIN_VALUE;

    public StatusState() {}

    static StatusState fresh(int audiences) {
        StatusState s = new StatusState();
        s.lastSentAt = new long[audiences];
        java.util.Arrays.fill(s.lastSentAt, NEVER);
        s.pending = new int[audiences];
        s.lastSeverity = new String[audiences];
        return s;
    }

    boolean told(int audience) {
        return lastSentAt[audience] != NEVER;
    }
}
