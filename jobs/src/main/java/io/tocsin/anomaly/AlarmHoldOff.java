package io.tocsin.anomaly;

import io.tocsin.config.DetectorSettings;
import java.nio.ByteBuffer;

/**
 * Reports a score as an alarm only when it beats every score of the last {@code holdOffPoints}
 * points; otherwise at half its level. One anomaly raises one alarm (NAB, like an on-call engineer,
 * rewards the early detection and counts every repeat as a false positive), yet a larger anomaly
 * during the hold-off still gets through. The window is kept as one maximum per block of {@code
 * holdOffBlock} points, so it costs a few floats instead of one per point.
 */
final class AlarmHoldOff {

    private final float[] blockMax;
    private float currentMax;
    private int inBlock;
    private int nextBlock;

    AlarmHoldOff(DetectorSettings s) {
        this.blockMax = new float[s.holdOffPoints() / s.holdOffBlock()];
    }

    /** Returns the reported score for a point whose unrestrained score is {@code level}. */
    double report(double level, DetectorSettings s) {
        float recent = currentMax;
        for (float m : blockMax) {
            recent = Math.max(recent, m);
        }
        currentMax = (float) Math.max(currentMax, level);
        if (++inBlock == s.holdOffBlock()) {
            blockMax[nextBlock] = currentMax;
            nextBlock = (nextBlock + 1) % blockMax.length;
            currentMax = 0;
            inBlock = 0;
        }
        // Compared in float precision, as stored: a level equal to a recent one is a repeat.
        return (float) level > recent ? level : level / 2;
    }

    void write(ByteBuffer out) {
        out.put((byte) inBlock);
        out.put((byte) nextBlock);
        out.putFloat(currentMax);
        for (float m : blockMax) {
            out.putFloat(m);
        }
    }

    void read(ByteBuffer in) {
        inBlock = Byte.toUnsignedInt(in.get());
        nextBlock = Byte.toUnsignedInt(in.get());
        currentMax = in.getFloat();
        for (int i = 0; i < blockMax.length; i++) {
            blockMax[i] = in.getFloat();
        }
    }
}
