package io.tocsin.anomaly;

import io.tocsin.config.DetectorSettings;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Remembers which quantised values have followed which context: the previous value's bin (a
 * first-order sequence memory) or a caller's row such as the time of day. A value never seen in its
 * context is novel (1), one seen often enough is known (0), a neighbouring bin counts partly.
 *
 * <p>Bins cover a range that only grows: the first points fix a bin width, and a value outside the
 * range doubles the width by merging bins pairwise, so counts keep their meaning and no minimum or
 * maximum of the series is needed in advance. A count only matters up to {@code noveltyKnownAfter},
 * so counts saturate there and are stored in 2 bits (for the default of 2): {@code rows * bins / 4}
 * bytes of state.
 */
final class NoveltyTable {

    private final int bins;
    private final int rows;
    private final boolean sequence;
    private final byte[] counts;
    private int seen;
    private double initMin = Double.POSITIVE_INFINITY;
    private double initMax = Double.NEGATIVE_INFINITY;
    private double low;
    private double width;
    private int previous = -1;

    private final int cap;

    private NoveltyTable(int bins, int rows, boolean sequence, int cap) {
        this.cap = cap;
        this.bins = bins;
        this.rows = rows;
        this.sequence = sequence;
        this.counts = new byte[rows * bins];
    }

    /** A table whose context is the previous value: novelty of transitions. */
    static NoveltyTable sequence(DetectorSettings s) {
        return new NoveltyTable(s.noveltyBins(), s.noveltyBins(), true, s.noveltyKnownAfter());
    }

    /** A table whose context is a row the caller names, e.g. the time of day. */
    static NoveltyTable byRow(int rows, int bins, DetectorSettings s) {
        return new NoveltyTable(bins, rows, false, s.noveltyKnownAfter());
    }

    /** Forgets the sequence context, e.g. after a gap: the next value only sets it. */
    void breakSequence() {
        if (sequence) {
            previous = -1;
        }
    }

    /**
     * Learns {@code x} in context {@code row} (ignored for a sequence table) and returns how novel
     * it was before, in [0, 1]; 0 while the first points fix the bin width.
     */
    double update(double x, int row, DetectorSettings s) {
        if (width == 0) {
            seen++;
            initMin = Math.min(initMin, x);
            initMax = Math.max(initMax, x);
            if (seen < s.noveltyInitPoints()) {
                return 0;
            }
            double span = initMax - initMin;
            if (span <= 0) {
                span = Math.max(Math.abs(x) * 1e-3, 1e-6);
            }
            width = span / (bins / 2.0);
            low = initMin - span / 2;
            previous = bin(x);
            return 0;
        }
        while (x < low) {
            grow(true);
        }
        while (x >= low + bins * width) {
            grow(false);
        }
        int b = bin(x);
        if (sequence && previous < 0) {
            previous = b;
            return 0;
        }
        int r = sequence ? previous : row;
        int kernel = s.noveltyKernel();
        double known = 0;
        for (int k = -kernel; k <= kernel; k++) {
            int c = b + k;
            if (c < 0 || c >= bins) {
                continue;
            }
            double seenShare = counts[r * bins + c] / (double) cap;
            known = Math.max(known, seenShare * (1 - Math.abs(k) / (kernel + 1.0)));
        }
        int i = r * bins + b;
        if (counts[i] < cap) {
            counts[i]++;
        }
        previous = b;
        return 1 - known;
    }

    private int bin(double x) {
        int b = (int) Math.floor((x - low) / width);
        return Math.max(0, Math.min(bins - 1, b));
    }

    /** Doubles the bin width; the old range becomes the upper half (growing down) or lower half. */
    private void grow(boolean down) {
        byte[] old = counts.clone();
        Arrays.fill(counts, (byte) 0);
        int offset = down ? bins / 2 : 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < bins; j++) {
                int c = old[i * bins + j];
                if (c == 0) {
                    continue;
                }
                int ni = sequence ? offset + i / 2 : i;
                int nj = offset + j / 2;
                counts[ni * bins + nj] = (byte) Math.min(cap, counts[ni * bins + nj] + c);
            }
        }
        if (previous >= 0) {
            previous = offset + previous / 2;
        }
        if (down) {
            low -= bins * width;
        }
        width *= 2;
    }

    void write(ByteBuffer out) {
        out.putDouble(width);
        if (width == 0) {
            out.putInt(seen);
            out.putDouble(initMin);
            out.putDouble(initMax);
            return;
        }
        out.putDouble(low);
        out.putShort((short) previous);
        int bits = bitsPerCount();
        int perByte = 8 / bits;
        for (int i = 0; i < counts.length; i += perByte) {
            int packed = 0;
            for (int j = 0; j < perByte && i + j < counts.length; j++) {
                packed |= counts[i + j] << (j * bits);
            }
            out.put((byte) packed);
        }
    }

    private int bitsPerCount() {
        return cap < 4 ? 2 : cap < 16 ? 4 : 8;
    }

    void read(ByteBuffer in) {
        width = in.getDouble();
        if (width == 0) {
            seen = in.getInt();
            initMin = in.getDouble();
            initMax = in.getDouble();
            return;
        }
        low = in.getDouble();
        previous = in.getShort();
        int bits = bitsPerCount();
        int perByte = 8 / bits;
        int mask = (1 << bits) - 1;
        for (int i = 0; i < counts.length; i += perByte) {
            int packed = Byte.toUnsignedInt(in.get());
            for (int j = 0; j < perByte && i + j < counts.length; j++) {
                counts[i + j] = (byte) ((packed >>> (j * bits)) & mask);
            }
        }
    }
}
