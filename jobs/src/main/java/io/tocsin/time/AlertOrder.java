package io.tocsin.time;

import io.tocsin.avro.Alert;
import java.io.Serializable;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A total order on alerts by content (event time, fingerprint, status, startsAt, source, then
 * labels and annotations), used to break ties between alerts of the same event time so the outcome
 * never depends on arrival order.
 */
public final class AlertOrder implements Comparator<Alert>, Serializable {

    public static final AlertOrder INSTANCE = new AlertOrder();

    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Alert a, Alert b) {
        int c = a.getReceivedAt().compareTo(b.getReceivedAt());
        if (c != 0) return c;
        c = a.getFingerprint().compareTo(b.getFingerprint());
        if (c != 0) return c;
        c = a.getStatus().compareTo(b.getStatus());
        if (c != 0) return c;
        c = a.getStartsAt().compareTo(b.getStartsAt());
        if (c != 0) return c;
        c = a.getSource().compareTo(b.getSource());
        if (c != 0) return c;
        c = compareNullable(a.getEndsAt(), b.getEndsAt());
        if (c != 0) return c;
        c =
                new TreeMap<>(a.getLabels())
                        .toString()
                        .compareTo(new TreeMap<>(b.getLabels()).toString());
        if (c != 0) return c;
        return sorted(a.getAnnotations()).compareTo(sorted(b.getAnnotations()));
    }

    private static String sorted(Map<String, String> m) {
        return m == null ? "" : new TreeMap<>(m).toString();
    }

    private static <C extends Comparable<C>> int compareNullable(C x, C y) {
        if (Objects.equals(x, y)) return 0;
        if (x == null) return -1;
        if (y == null) return 1;
        return x.compareTo(y);
    }
}
