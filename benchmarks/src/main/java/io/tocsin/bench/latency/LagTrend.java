package io.tocsin.bench.latency;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The job's backlog sampled once a second during a phase. The committed offsets move only on
 * checkpoints, so the lag read is a saw-tooth; its minimum in each half of the phase is the backlog
 * that was really there. The backlog grows when the second half's minimum exceeds the first's by
 * more than two seconds of load.
 */
final class LagTrend {

    private final List<Long> samples = new ArrayList<>();

    void add(long lag) {
        samples.add(lag);
    }

    private long minOf(int from, int to) {
        long min = Long.MAX_VALUE;
        for (int i = from; i < to; i++) {
            min = Math.min(min, samples.get(i));
        }
        return min == Long.MAX_VALUE ? 0 : min;
    }

    private long firstHalf() {
        return minOf(0, samples.size() / 2);
    }

    private long secondHalf() {
        return minOf(samples.size() / 2, samples.size());
    }

    boolean grows(double perSecond) {
        return samples.size() >= 4 && secondHalf() - firstHalf() > 2 * perSecond;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "backlog %d in the first half, %d in the second (lowest of %d samples each way)",
                firstHalf(),
                secondHalf(),
                samples.size() / 2);
    }
}
