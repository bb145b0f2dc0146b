package io.tocsin.time;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.streaming.api.TimerService;

/**
 * Keyed buffer that holds records until the watermark passes their timestamp and hands them back
 * sorted by a total order on content. Shared by the ordered stages (see {@link
 * EventTimeOrderedFunction}); a broadcast function uses it directly. Size is bounded by the input
 * rate times the watermark's out-of-orderness bound.
 */
public final class EventTimeBuffer<T> {

    private final MapState<Long, List<T>> buffer;
    private final Comparator<T> tieBreak;

    public EventTimeBuffer(RuntimeContext ctx, TypeInformation<T> type, Comparator<T> tieBreak) {
        this.buffer =
                ctx.getMapState(
                        new MapStateDescriptor<>(
                                "ordered-buffer", Types.LONG, new ListTypeInfo<>(type)));
        this.tieBreak = tieBreak;
    }

    /**
     * Buffers {@code value} at {@code timestamp}, registering a timer for it.
     *
     * @return false when the record is late (at or behind the watermark) and must be handled now
     */
    public boolean add(T value, Long timestamp, TimerService timers) throws Exception {
        if (timestamp == null || timestamp <= timers.currentWatermark()) {
            return false;
        }
        List<T> atT = buffer.get(timestamp);
        if (atT == null) {
            atT = new ArrayList<>(1);
            timers.registerEventTimeTimer(timestamp);
        }
        atT.add(value);
        buffer.put(timestamp, atT);
        return true;
    }

    /** Removes and returns the records buffered at {@code timestamp}, in tie-break order. */
    public List<T> drain(long timestamp) throws Exception {
        List<T> due = buffer.get(timestamp);
        if (due == null) {
            return List.of();
        }
        buffer.remove(timestamp);
        due.sort(tieBreak);
        return due;
    }
}
