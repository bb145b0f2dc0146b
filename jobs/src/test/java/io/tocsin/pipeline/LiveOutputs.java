package io.tocsin.pipeline;

import io.tocsin.avro.IncidentEvent;
import io.tocsin.testing.TopicReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a live job ({@code tocsin run}) wrote to a real broker, read back for the recovery tests.
 */
final class LiveOutputs {

    private LiveOutputs() {}

    /** Incident events by "incidentId/seq", each with every copy the topic holds. */
    static Map<String, List<byte[]>> eventsByKey(String bootstrap, String prefix) {
        Map<String, List<byte[]>> out = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r :
                TopicReader.readAll(bootstrap, prefix + "incident-events")) {
            IncidentEvent e = decode(r.value());
            out.computeIfAbsent(e.getIncidentId() + "/" + e.getSeq(), k -> new ArrayList<>())
                    .add(r.value());
        }
        return out;
    }

    /** Pages by their bytes (as text), with every copy the topic holds. */
    static Map<String, List<ConsumerRecord<byte[], byte[]>>> pages(
            String bootstrap, String prefix) {
        Map<String, List<ConsumerRecord<byte[], byte[]>>> out = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(bootstrap, prefix + "pages")) {
            out.computeIfAbsent(
                            new String(r.value(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(r);
        }
        return out;
    }

    static IncidentEvent decode(byte[] bytes) {
        try {
            return IncidentEvent.getDecoder().decode(ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A string field of a flat JSON text (a page), or empty. */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "";
    }
}
