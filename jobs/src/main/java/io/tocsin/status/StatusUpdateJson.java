package io.tocsin.status;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * Writes a {@link StatusUpdate} as one JSON object, keys in a fixed order: equal updates, equal
 * bytes.
 */
public final class StatusUpdateJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private StatusUpdateJson() {}

    public static String toJson(StatusUpdate u) {
        StringWriter w = new StringWriter(512);
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("updateId", u.updateId);
            g.writeStringField("incidentId", u.incidentId);
            g.writeStringField("audience", u.audience);
            g.writeNumberField("seq", u.seq);
            g.writeStringField("eventTime", Instant.ofEpochMilli(u.eventTime).toString());
            strings(g, "triggers", u.triggers);
            g.writeBooleanField("first", u.first);
            g.writeStringField("severity", u.severity);
            g.writeStringField("status", u.status);
            strings(g, "channels", u.channels);
            g.writeStringField("subject", u.subject);
            g.writeStringField("text", u.text);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void strings(JsonGenerator g, String name, List<String> values)
            throws IOException {
        g.writeArrayFieldStart(name);
        if (values != null) {
            for (String v : values) {
                g.writeString(v);
            }
        }
        g.writeEndArray();
    }
}
