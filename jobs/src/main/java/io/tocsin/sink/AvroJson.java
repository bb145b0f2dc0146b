package io.tocsin.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes an Avro record as one line of plain JSON for files and people: field names as in the
 * schema and in schema order, times as ISO-8601 UTC, enums as their names, unions unwrapped, map
 * keys sorted (so equal records give equal bytes), bytes as UTF-8 text.
 */
public final class AvroJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private AvroJson() {}

    public static String toJson(SpecificRecord record) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            writeRecord(g, record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void writeRecord(JsonGenerator g, SpecificRecord r) throws IOException {
        g.writeStartObject();
        for (Schema.Field f : r.getSchema().getFields()) {
            g.writeFieldName(f.name());
            write(g, f.schema(), r.get(f.pos()));
        }
        g.writeEndObject();
    }

    private static void write(JsonGenerator g, Schema s, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
            return;
        }
        switch (s.getType()) {
            case UNION -> {
                for (Schema branch : s.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL) {
                        write(g, branch, v);
                        return;
                    }
                }
                g.writeNull();
            }
            case RECORD -> writeRecord(g, (SpecificRecord) v);
            case ENUM, STRING -> g.writeString(v.toString());
            case BOOLEAN -> g.writeBoolean((Boolean) v);
            case INT -> g.writeNumber(((Number) v).intValue());
            case LONG -> {
                if (v instanceof Instant t) {
                    g.writeString(DateTimeFormatter.ISO_INSTANT.format(t));
                } else {
                    LogicalType lt = s.getLogicalType();
                    if (lt != null && lt.getName().startsWith("timestamp-millis")) {
                        g.writeString(
                                DateTimeFormatter.ISO_INSTANT.format(
                                        Instant.ofEpochMilli((Long) v)));
                    } else {
                        g.writeNumber((Long) v);
                    }
                }
            }
            case FLOAT, DOUBLE -> {
                double d = ((Number) v).doubleValue();
                if (Double.isFinite(d)) {
                    g.writeNumber(d);
                } else {
                    g.writeString(Double.toString(d));
                }
            }
            case BYTES -> {
                ByteBuffer b = ((ByteBuffer) v).duplicate();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                g.writeString(new String(bytes, StandardCharsets.UTF_8));
            }
            case ARRAY -> {
                g.writeStartArray();
                for (Object o : (Collection<?>) v) {
                    write(g, s.getElementType(), o);
                }
                g.writeEndArray();
            }
            case MAP -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : new TreeMap<>(stringKeys((Map<?, ?>) v)).entrySet()) {
                    g.writeFieldName(e.getKey().toString());
                    write(g, s.getValueType(), e.getValue());
                }
                g.writeEndObject();
            }
            default -> g.writeString(v.toString());
        }
    }

    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new TreeMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            out.put(e.getKey().toString(), e.getValue());
        }
        return out;
    }
}
