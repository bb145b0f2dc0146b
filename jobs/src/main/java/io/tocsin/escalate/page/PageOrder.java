package io.tocsin.escalate.page;

import java.io.Serializable;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A total order on pages by content (event time, dedup key, action in lifecycle order, then the
 * rest), used to break ties between pages of the same event time so the limiter's output never
 * depends on arrival order.
 */
public final class PageOrder implements Comparator<Page>, Serializable {

    public static final PageOrder INSTANCE = new PageOrder();

    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Page a, Page b) {
        int c = Long.compare(a.eventTime, b.eventTime);
        if (c != 0) return c;
        c = compareNullable(a.dedupKey, b.dedupKey);
        if (c != 0) return c;
        c = Integer.compare(Pages.rank(a.action), Pages.rank(b.action));
        if (c != 0) return c;
        c = compareNullable(a.routingKey, b.routingKey);
        if (c != 0) return c;
        c = compareNullable(a.severity, b.severity);
        if (c != 0) return c;
        c = compareNullable(a.summary, b.summary);
        if (c != 0) return c;
        c = compareNullable(a.source, b.source);
        if (c != 0) return c;
        c = compareNullable(a.component, b.component);
        if (c != 0) return c;
        c = compareNullable(a.group, b.group);
        if (c != 0) return c;
        c = compareNullable(a.eventClass, b.eventClass);
        if (c != 0) return c;
        c = Integer.compare(a.coalesced, b.coalesced);
        if (c != 0) return c;
        return sorted(a.customDetails).compareTo(sorted(b.customDetails));
    }

    private static String sorted(Map<String, String> m) {
        return m == null ? "" : new TreeMap<>(m).toString();
    }

    private static int compareNullable(String x, String y) {
        if (Objects.equals(x, y)) return 0;
        if (x == null) return -1;
        if (y == null) return 1;
        return x.compareTo(y);
    }
}
