package io.tocsin.bench.latency;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When each probe was sent and when each of its answers (a page, an OPENED event, an Alertmanager
 * notification) was first seen. A probe is one new critical alert on a service of its own, named
 * {@code lat-probe-N}, so every answer names the probe it answers; later copies of an answer (a
 * re-sent page, a repeat notification) are ignored.
 */
final class ProbeClock {

    /** Where an answer comes from. */
    enum Answer {
        PAGE,
        OPENED,
        ALERTMANAGER
    }

    private static final Pattern PROBE = Pattern.compile("lat-probe-(\\d+)");

    private final Map<Long, Long> sentNanos = new ConcurrentHashMap<>();
    private final Map<Answer, Map<Long, Long>> answeredNanos = new ConcurrentHashMap<>();

    ProbeClock() {
        for (Answer a : Answer.values()) {
            answeredNanos.put(a, new ConcurrentHashMap<>());
        }
    }

    static String service(long probe) {
        return "lat-probe-" + probe;
    }

    void sent(long probe, long nanos) {
        sentNanos.put(probe, nanos);
    }

    /** Records, at {@code nanos}, every probe named in {@code text} as answered by {@code a}. */
    void seen(Answer a, CharSequence text, long nanos) {
        Matcher m = PROBE.matcher(text);
        while (m.find()) {
            answeredNanos.get(a).putIfAbsent(Long.parseLong(m.group(1)), nanos);
        }
    }

    boolean answered(Answer a, long probe) {
        return answeredNanos.get(a).containsKey(probe);
    }

    /** Probe to answer, in ms; negative when not (yet) answered. */
    double latencyMs(Answer a, long probe) {
        Long sent = sentNanos.get(probe);
        Long seen = answeredNanos.get(a).get(probe);
        if (sent == null || seen == null) {
            return -1;
        }
        return (seen - sent) / (double) TimeUnit.MILLISECONDS.toNanos(1);
    }

    /** Waits until every given answer of the probe came, or the deadline passed. */
    boolean await(long probe, long deadlineNanos, Answer... answers) throws InterruptedException {
        while (System.nanoTime() < deadlineNanos) {
            boolean all = true;
            for (Answer a : answers) {
                all &= answered(a, probe);
            }
            if (all) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }
}
