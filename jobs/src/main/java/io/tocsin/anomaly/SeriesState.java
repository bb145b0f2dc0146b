package io.tocsin.anomaly;

import io.tocsin.config.DetectorSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Everything the telemetry stage keeps per series, as one byte array in keyed state: the detector,
 * the alert episode, when the series last reported and when its expiry timer fires. Explicit bytes
 * rather than a POJO so the size per series is known and measured, and the format is versioned.
 */
public final class SeriesState {

    private static final byte FORMAT_VERSION = 1;

    final SeriesDetector detector;
    final AnomalyEpisodes.Episode episode;
    long lastSeenMillis;
    long expiryTimerMillis;

    SeriesState(SeriesDetector detector, AnomalyEpisodes.Episode episode) {
        this.detector = detector;
        this.episode = episode;
    }

    static SeriesState fresh(DetectorSettings settings) {
        return new SeriesState(new SeriesDetector(settings), new AnomalyEpisodes.Episode());
    }

    byte[] toBytes() {
        ByteBuffer out =
                ByteBuffer.allocate(detector.maxBytes() + 64 + 2 * episode.peakDetector.length());
        out.put(FORMAT_VERSION);
        out.putLong(lastSeenMillis);
        out.putLong(expiryTimerMillis);
        AnomalyEpisodes.Episode e = episode;
        out.put((byte) ((e.started ? 1 : 0) | (e.firing ? 2 : 0)));
        out.putLong(e.firstPointAt);
        out.putInt(e.recent);
        out.putShort((short) Math.min(e.normalRun, Short.MAX_VALUE));
        out.putLong(e.candidateStart);
        if (e.firing) {
            out.putLong(e.startedAt);
            out.putLong(e.lastSentAt);
            out.putFloat((float) e.peakLevel);
            byte[] name = e.peakDetector.getBytes(StandardCharsets.UTF_8);
            out.put((byte) name.length);
            out.put(name);
        }
        detector.write(out);
        return Arrays.copyOf(out.array(), out.position());
    }

    static SeriesState fromBytes(byte[] state, DetectorSettings settings) {
        ByteBuffer in = ByteBuffer.wrap(state);
        byte version = in.get();
        if (version != FORMAT_VERSION) {
            throw new IllegalStateException("unknown series state version " + version);
        }
        long lastSeen = in.getLong();
        long expiry = in.getLong();
        AnomalyEpisodes.Episode e = new AnomalyEpisodes.Episode();
        byte flags = in.get();
        e.started = (flags & 1) != 0;
        e.firing = (flags & 2) != 0;
        e.firstPointAt = in.getLong();
        e.recent = in.getInt();
        e.normalRun = in.getShort();
        e.candidateStart = in.getLong();
        if (e.firing) {
            e.startedAt = in.getLong();
            e.lastSentAt = in.getLong();
            e.peakLevel = in.getFloat();
            byte[] name = new byte[Byte.toUnsignedInt(in.get())];
            in.get(name);
            e.peakDetector = new String(name, StandardCharsets.UTF_8);
        }
        SeriesState s = new SeriesState(SeriesDetector.read(in, settings), e);
        s.lastSeenMillis = lastSeen;
        s.expiryTimerMillis = expiry;
        return s;
    }
}
