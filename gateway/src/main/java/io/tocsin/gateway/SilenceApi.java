package io.tocsin.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tocsin.config.LabelMatcher;
import io.tocsin.control.ControlMessage;
import io.tocsin.ingest.RejectReason;
import io.tocsin.time.Rfc3339;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alertmanager's silences API ({@code POST/GET /api/v2/silences}, {@code GET/DELETE
 * /api/v2/silence/ID}) over the control topic, so {@code amtool silence add/query/expire} work
 * against Tocsin. A new or changed silence is an {@code upsert} control message (author and comment
 * kept: the control topic is the audit trail); an expiry is a {@code delete}, both in force from
 * the time the gateway received them. Answers come from the {@link SilenceStore}, which reads the
 * control topic back, so they survive a restart and include silences written by others.
 */
final class SilenceApi {

    private static final Logger AUDIT = LoggerFactory.getLogger("io.tocsin.gateway.audit");
    private static final Duration READ_BACK = Duration.ofSeconds(10);

    private final SilenceStore store;
    private final KafkaWriter kafka;
    private final String topic;
    private final GatewayMetrics metrics;
    private final Clock clock;

    SilenceApi(
            SilenceStore store,
            KafkaWriter kafka,
            String topic,
            GatewayMetrics metrics,
            Clock clock) {
        this.store = store;
        this.kafka = kafka;
        this.topic = topic;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** A refused silence: 400 (or 404 for an unknown id) with the field and the reason. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    CompletableFuture<Reply> post(byte[] body) {
        Instant now = clock.instant();
        ObjectNode message;
        String id;
        try {
            JsonNode tree = parse(body);
            ObjectNode silence = silence(tree, now);
            id = silence.get("id").asText();
            message = Reply.JSON.createObjectNode();
            message.put("op", "upsert");
            message.put("at", Rfc3339.format(now));
            message.set("silence", silence);
            // The job's own parser: what it would refuse is refused here, in its words.
            ControlMessage.parse(message.toString(), null);
        } catch (Refused e) {
            metrics.rejected.labelValues("silence", "BAD_SILENCE").inc();
            return CompletableFuture.completedFuture(Reply.error(e.status, e.getMessage()));
        } catch (IllegalArgumentException e) {
            metrics.rejected.labelValues("silence", "BAD_SILENCE").inc();
            return CompletableFuture.completedFuture(Reply.error(400, e.getMessage()));
        }
        String silenceId = id;
        ObjectNode m = message;
        return write("silence:" + id, message)
                .thenApply(
                        r -> {
                            if (r.status() != 200) {
                                return r;
                            }
                            metrics.silenceChanges.labelValues("upsert").inc();
                            JsonNode s = m.get("silence");
                            AUDIT.info(
                                    "silence {} upserted by {} ({}): {} from {} to {}",
                                    silenceId,
                                    s.get("createdBy").asText(),
                                    s.get("comment").asText(),
                                    s.get("matchers"),
                                    s.get("startsAt").asText(),
                                    s.get("endsAt").asText());
                            return Reply.json(200, Map.of("silenceID", silenceId));
                        });
    }

    CompletableFuture<Reply> expire(String id) {
        StoredSilence s = store.get(id);
        if (s == null) {
            return CompletableFuture.completedFuture(
                    Reply.error(404, "silence " + id + " not found"));
        }
        Instant now = clock.instant();
        if (s.state(now).equals("expired")) {
            return CompletableFuture.completedFuture(Reply.empty(200));
        }
        ObjectNode message = Reply.JSON.createObjectNode();
        message.put("op", "delete");
        message.put("at", Rfc3339.format(now));
        message.put("kind", "silence");
        message.put("id", id);
        return write("silence:" + id, message)
                .thenApply(
                        r -> {
                            if (r.status() != 200) {
                                return r;
                            }
                            metrics.silenceChanges.labelValues("expire").inc();
                            AUDIT.info("silence {} expired (created by {})", id, s.createdBy());
                            return Reply.empty(200);
                        });
    }

    /** Writes a control message; the reply completes once the store has read it back. */
    private CompletableFuture<Reply> write(String key, ObjectNode message) {
        return kafka.send(
                        topic,
                        key.getBytes(StandardCharsets.UTF_8),
                        message.toString().getBytes(StandardCharsets.UTF_8))
                .thenCompose(
                        meta ->
                                store.whenApplied(meta.partition(), meta.offset())
                                        .orTimeout(READ_BACK.toMillis(), TimeUnit.MILLISECONDS)
                                        .handle(
                                                (ok, late) ->
                                                        late == null
                                                                ? Reply.empty(200)
                                                                // Written and in force for the
                                                                // job; only this answer is late.
                                                                : Reply.error(
                                                                        503,
                                                                        "written to the control"
                                                                                + " topic, not read"
                                                                                + " back within "
                                                                                + READ_BACK
                                                                                        .toSeconds()
                                                                                + "s")))
                .exceptionally(
                        failure ->
                                Reply.error(
                                        503,
                                        "Kafka did not acknowledge the silence, retry: "
                                                + AlertIngest.rootMessage(failure)));
    }

    Reply list(List<String> filters) {
        List<LabelMatcher> filter = new ArrayList<>();
        for (String f : filters) {
            try {
                filter.add(filterMatcher(f));
            } catch (IllegalArgumentException e) {
                metrics.rejected.labelValues("request", RejectReason.BAD_LABELS.name()).inc();
                return Reply.error(400, "filter: " + e.getMessage());
            }
        }
        Instant now = clock.instant();
        List<StoredSilence> all = new ArrayList<>();
        for (StoredSilence s : store.all()) {
            Map<String, String> named = new HashMap<>();
            for (LabelMatcher m : s.matchers()) {
                named.put(m.name(), m.value());
            }
            if (filter.stream().allMatch(m -> m.matches(named))) {
                all.add(s);
            }
        }
        // Alertmanager's order: active by end, pending by start, then expired, latest first.
        all.sort(
                Comparator.comparingInt((StoredSilence s) -> rank(s.state(now)))
                        .thenComparing(
                                s ->
                                        switch (s.state(now)) {
                                            case "active" -> s.effectiveEnd();
                                            case "pending" -> s.startsAt();
                                            default ->
                                                    Instant.MAX.minusMillis(
                                                            s.effectiveEnd().toEpochMilli());
                                        }));
        ArrayNode out = Reply.JSON.createArrayNode();
        for (StoredSilence s : all) {
            out.add(gettable(s, now));
        }
        return Reply.json(200, out);
    }

    Reply get(String id) {
        StoredSilence s = store.get(id);
        if (s == null) {
            return Reply.error(404, "silence " + id + " not found");
        }
        return Reply.json(200, gettable(s, clock.instant()));
    }

    private static int rank(String state) {
        return switch (state) {
            case "active" -> 0;
            case "pending" -> 1;
            default -> 2;
        };
    }

    /** A silence as Alertmanager's GettableSilence (every field amtool's client requires). */
    private static ObjectNode gettable(StoredSilence s, Instant now) {
        ObjectNode o = Reply.JSON.createObjectNode();
        o.put("id", s.id());
        o.putObject("status").put("state", s.state(now));
        o.put("updatedAt", Rfc3339.format(s.updatedAt()));
        ArrayNode ms = o.putArray("matchers");
        for (LabelMatcher m : s.matchers()) {
            ObjectNode j = ms.addObject();
            j.put("name", m.name());
            j.put("value", m.value());
            j.put("isRegex", m.op() == LabelMatcher.Op.RE || m.op() == LabelMatcher.Op.NRE);
            j.put("isEqual", m.op() == LabelMatcher.Op.EQ || m.op() == LabelMatcher.Op.RE);
        }
        o.put("startsAt", Rfc3339.format(s.effectiveStart()));
        o.put("endsAt", Rfc3339.format(s.effectiveEnd()));
        o.put("createdBy", s.createdBy());
        o.put("comment", s.comment());
        return o;
    }

    private static JsonNode parse(byte[] body) throws Refused {
        JsonNode tree;
        try {
            tree = Reply.JSON.readTree(body);
        } catch (IOException e) {
            throw new Refused(400, "not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (tree == null || !tree.isObject()) {
            throw new Refused(400, "expected a JSON object (a PostableSilence)");
        }
        return tree;
    }

    /**
     * The control message's silence body from a PostableSilence, validated as Alertmanager does
     * (matchers, times, createdBy and comment required; endsAt after startsAt and not past).
     */
    private ObjectNode silence(JsonNode t, Instant now) throws Refused {
        ArrayNode matchers = Reply.JSON.createArrayNode();
        JsonNode ms = t.get("matchers");
        if (ms == null || !ms.isArray() || ms.isEmpty()) {
            throw new Refused(400, "matchers: at least one matcher is required");
        }
        for (int i = 0; i < ms.size(); i++) {
            matchers.add(matcher(ms.get(i), "matchers[" + i + "]"));
        }
        Instant start = time(t.get("startsAt"), "startsAt");
        Instant end = time(t.get("endsAt"), "endsAt");
        if (!end.isAfter(start)) {
            throw new Refused(400, "endsAt: must be after startsAt");
        }
        if (!end.isAfter(now)) {
            throw new Refused(400, "endsAt: " + Rfc3339.format(end) + " is in the past");
        }
        String createdBy = requiredText(t.get("createdBy"), "createdBy");
        String comment = requiredText(t.get("comment"), "comment");
        String id = t.hasNonNull("id") ? t.get("id").asText("") : "";
        if (!id.isEmpty()) {
            StoredSilence old = store.get(id);
            if (old == null) {
                throw new Refused(404, "silence " + id + " not found");
            }
            if (old.state(now).equals("expired")) {
                id = ""; // Alertmanager: changing an expired silence creates a new one
            }
        }
        if (id.isEmpty()) {
            if (!store.hasRoom(now)) {
                throw new Refused(400, "too many live silences; expire some first");
            }
            id = UUID.randomUUID().toString();
        }
        if (start.isBefore(now)) {
            start = now; // as Alertmanager: a silence cannot start in the past
        }
        ObjectNode s = Reply.JSON.createObjectNode();
        s.put("id", id);
        s.set("matchers", matchers);
        s.put("startsAt", Rfc3339.format(start));
        s.put("endsAt", Rfc3339.format(end));
        s.put("createdBy", createdBy);
        s.put("comment", comment);
        return s;
    }

    /** One API matcher as Tocsin's matcher text, refusing what would not read back the same. */
    private static String matcher(JsonNode m, String path) throws Refused {
        if (m == null || !m.isObject()) {
            throw new Refused(400, path + ": expected a matcher object");
        }
        String name = requiredText(m.get("name"), path + ".name");
        JsonNode value = m.get("value");
        if (value == null || !value.isTextual()) {
            throw new Refused(400, path + ".value: required, a string");
        }
        JsonNode isRegex = m.get("isRegex");
        if (isRegex == null || !isRegex.isBoolean()) {
            throw new Refused(400, path + ".isRegex: required, true or false");
        }
        JsonNode isEqual = m.get("isEqual");
        if (isEqual != null && !isEqual.isNull() && !isEqual.isBoolean()) {
            throw new Refused(400, path + ".isEqual: expected true or false");
        }
        boolean equal = isEqual == null || isEqual.isNull() || isEqual.asBoolean();
        String op = isRegex.asBoolean() ? (equal ? "=~" : "!~") : (equal ? "=" : "!=");
        String text =
                name
                        + op
                        + "\""
                        + value.asText().replace("\\", "\\\\").replace("\"", "\\\"")
                        + "\"";
        LabelMatcher parsed;
        try {
            parsed = LabelMatcher.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Refused(400, path + ": " + e.getMessage());
        }
        if (!parsed.name().equals(name) || !parsed.value().equals(value.asText())) {
            throw new Refused(
                    400, path + ": name or value cannot be expressed as a Tocsin label matcher");
        }
        return text;
    }

    /** A {@code filter} query value: {@code name="value"}, quotes optional as amtool allows. */
    static LabelMatcher filterMatcher(String f) {
        try {
            return LabelMatcher.parse(f);
        } catch (IllegalArgumentException e) {
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile(
                                    "\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)(.*)")
                            .matcher(f);
            if (m.matches()) {
                return LabelMatcher.parse(
                        m.group(1)
                                + m.group(2)
                                + "\""
                                + m.group(3).trim().replace("\"", "\\\"")
                                + "\"");
            }
            throw e;
        }
    }

    private static Instant time(JsonNode n, String field) throws Refused {
        if (n == null || !n.isTextual()) {
            throw new Refused(400, field + ": required, an RFC 3339 time");
        }
        try {
            Instant t = Rfc3339.parseOrZero(n.asText());
            if (t == null) {
                throw new Refused(400, field + ": zero time is not allowed here");
            }
            return t;
        } catch (DateTimeParseException e) {
            throw new Refused(
                    400, field + ": cannot parse '" + n.asText() + "' as an RFC 3339 time");
        }
    }

    private static String requiredText(JsonNode n, String field) throws Refused {
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw new Refused(400, field + ": required, a non-empty string");
        }
        return n.asText();
    }
}
