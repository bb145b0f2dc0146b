package io.tocsin.correlate;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * The {@link LinkMemory} of each correlation partition, in keyed state with a heap copy of the
 * partitions used most recently. Reading and writing the whole memory on every alert (up to about
 * 1.2 MB at the default 10,000 pairs) made the correlate stage five times slower on RocksDB than on
 * the heap backend ({@code ./tocsin bench cluster}); now an alert reads it from the heap and writes
 * only the one burst start it moved ({@code link-memory-starts}), and the whole memory is written
 * when something else changed (a new burst, a new domain, a sweep), which is once per burst.
 *
 * <p>The state stays the truth: every change is written through before the alert's events leave, so
 * checkpoints, restores and rescaling never see the cache. The cache and the state never share an
 * object (the heap backend would otherwise hold the live object in a snapshot being written).
 * Bounded by {@link #MAX_CACHED_BYTES} of estimated heap ({@link LinkMemory#estimatedBytes}); the
 * least recently used partitions are dropped first, the partition in use always stays.
 */
final class LearnedLinksStore {

    static final long MAX_CACHED_BYTES = 64L << 20;

    private final ValueState<LinkMemory> whole;
    private final MapState<String, Long> starts;
    private final TypeSerializer<LinkMemory> serializer;
    private final LinkedHashMap<String, LinkMemory> cache = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, Long> cachedBytes = new java.util.HashMap<>();
    private long bytes;

    LearnedLinksStore(RuntimeContext ctx) {
        TypeInformation<LinkMemory> type = TypeInformation.of(LinkMemory.class);
        whole = ctx.getState(new ValueStateDescriptor<>("link-memory", type));
        starts =
                ctx.getMapState(
                        new MapStateDescriptor<>("link-memory-starts", Types.STRING, Types.LONG));
        serializer = ctx.createSerializer(type);
    }

    /** The current partition's memory (the keyed context's key is {@code key}). */
    LinkMemory get(String key) throws Exception {
        LinkMemory m = cache.get(key);
        if (m != null) {
            return m;
        }
        LinkMemory stored = whole.value();
        m = stored == null ? new LinkMemory() : serializer.copy(stored);
        for (Map.Entry<String, Long> e : starts.entries()) {
            m.lastStart.merge(e.getKey(), e.getValue(), Math::max);
        }
        m.takeChanges(); // loading is no change
        cache.put(key, m);
        account(key, m);
        return m;
    }

    /** Writes what changed in the current partition's memory since the last call to state. */
    void written(String key, LinkMemory m) throws Exception {
        LinkMemory.Changes c = m.takeChanges();
        if (c.beyondStarts()) {
            whole.update(serializer.copy(m));
            starts.clear(); // the whole memory carries every start now
        } else {
            for (String node : c.startsMoved()) {
                Long at = m.lastStart.get(node);
                if (at != null) {
                    starts.put(node, at);
                }
            }
        }
        account(key, m);
    }

    private void account(String key, LinkMemory m) {
        long b = m.estimatedBytes();
        Long before = cachedBytes.put(key, b);
        bytes += b - (before == null ? 0 : before);
        Iterator<Map.Entry<String, LinkMemory>> it = cache.entrySet().iterator();
        while (bytes > MAX_CACHED_BYTES && it.hasNext()) {
            String k = it.next().getKey();
            if (k.equals(key)) {
                continue;
            }
            it.remove();
            bytes -= cachedBytes.remove(k);
        }
    }

    /** Partitions held on the heap (for tests). */
    int cachedPartitions() {
        return cache.size();
    }
}
