package io.tocsin.anomaly;

/**
 * What {@link SeriesDetector} says about one point.
 *
 * @param score the alarm score in [0, 1]: the level, halved while an earlier, higher alarm is still
 *     recent, so one anomaly raises one alarm (what the NAB results files carry)
 * @param level how anomalous the point is in [0, 1], before the hold-off: what alert rules use
 * @param detector the component that gave the strongest evidence (see {@link SeriesDetector}), or
 *     {@code "none"}
 */
public record Assessment(double score, double level, String detector) {

    /** A point that could not be judged (missing value, or still warming up). */
    public static final Assessment NONE = new Assessment(0, 0, "none");
}
