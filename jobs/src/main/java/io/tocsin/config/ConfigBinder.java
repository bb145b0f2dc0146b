package io.tocsin.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds a config node into a raw record (its fields null where the file leaves them out) with
 * Jackson, and turns Jackson's errors into {@link ConfigException}s naming the file, the field and
 * the reason in the words {@link ConfigNode} uses. Ranges and cross-references are checked after
 * binding, by the reader, against the same node.
 */
final class ConfigBinder {

    private static final ObjectMapper MAPPER =
            JsonMapper.builder()
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                    // '' is not a number, a flag or a mapping (ConfigNode never read it as left
                    // out)
                    .withCoercionConfigDefaults(
                            c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                    // a flag is true or false, never 'true' or 1
                    .withCoercionConfig(
                            LogicalType.Boolean,
                            c ->
                                    c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                                            .setCoercion(
                                                    CoercionInputShape.Integer,
                                                    CoercionAction.Fail))
                    .addModule(
                            new SimpleModule()
                                    .addDeserializer(Duration.class, new DurationDeserializer()))
                    .build();

    private ConfigBinder() {}

    /** The raw record at {@code n}; a missing node binds as an empty mapping. */
    static <T> T bind(ConfigNode n, Class<T> type) {
        JsonNode node = n.isMissing() ? JsonNodeFactory.instance.objectNode() : n.node();
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonMappingException e) {
            throw translate(n, e);
        } catch (IOException e) {
            throw n.error(e.getMessage());
        }
    }

    /** {@code text} bound from {@code n}; fails there when it is left out or blank. */
    static String required(ConfigNode n, String text) {
        if (text == null || text.isBlank()) {
            throw n.error("required");
        }
        return text;
    }

    /** {@code value}, or {@code fallback} when the file leaves it out. */
    static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }

    /** {@code value}, or {@code fallback} when left out; fails at {@code n} unless above zero. */
    static Duration positive(ConfigNode n, Duration value, Duration fallback) {
        Duration d = or(value, fallback);
        if (d.isNegative() || d.isZero()) {
            throw n.error("must be greater than zero, got " + n.text("?"));
        }
        return d;
    }

    /** {@code value}, or {@code fallback} when left out; fails at {@code n} outside min..max. */
    static int between(ConfigNode n, Integer value, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw n.error("must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    /** {@code value}, or {@code fallback} when left out; fails at {@code n} outside min..max. */
    static double between(ConfigNode n, Double value, double fallback, double min, double max) {
        if (value == null) {
            return fallback;
        }
        if (!(value >= min && value <= max)) {
            throw n.error("must be between " + min + " and " + max + ", got " + n.text("?"));
        }
        return value;
    }

    /** {@code texts} bound from the list at {@code n}, each required; none when left out. */
    static List<String> texts(ConfigNode n, List<String> texts) {
        if (texts == null) {
            return List.of();
        }
        List<ConfigNode> at = n.list();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            out.add(required(at.get(i), texts.get(i)));
        }
        return out;
    }

    private static ConfigException translate(ConfigNode n, JsonMappingException e) {
        ConfigNode at = n;
        for (JsonMappingException.Reference r : e.getPath()) {
            at = r.getFieldName() != null ? at.get(r.getFieldName()) : at.list().get(r.getIndex());
        }
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> allowed = new ArrayList<>();
            u.getKnownPropertyIds().forEach(id -> allowed.add(String.valueOf(id)));
            allowed.sort(String::compareTo);
            return at.error("unknown field (allowed here: " + String.join(", ", allowed) + ")");
        }
        JsonNode found = at.node();
        String kind = found == null ? "null" : found.getNodeType().name().toLowerCase();
        String text = found == null ? "" : found.asText();
        Class<?> target = targetOf(e);
        if (target == Duration.class) {
            return at.error(
                    e instanceof InvalidFormatException
                            ? e.getOriginalMessage()
                            : "expected a single value, found " + kind);
        }
        if (target == Integer.class || target == int.class) {
            return at.error("expected an integer, found '" + text + "'");
        }
        if (target == Double.class || target == double.class) {
            return at.error("expected a number, found '" + text + "'");
        }
        if (target == Boolean.class || target == boolean.class) {
            return at.error("expected true or false, found '" + text + "'");
        }
        if (target == String.class) {
            return at.error("expected a single value, found " + kind);
        }
        if (target != null && List.class.isAssignableFrom(target)) {
            return at.error("expected a list, found " + kind);
        }
        return at.error("expected a mapping, found " + kind);
    }

    private static Class<?> targetOf(JsonMappingException e) {
        if (e.getCause() instanceof InputCoercionException c) {
            return c.getTargetType(); // e.g. an integer beyond int's range
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m) {
            return m.getTargetType();
        }
        return null;
    }

    /** The policy notation (30s, 5m, PT5M); the reason is the one {@link Durations} gives. */
    private static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (!p.currentToken().isScalarValue()) {
                return (Duration) ctx.handleUnexpectedToken(Duration.class, p);
            }
            String text = p.getText();
            try {
                return Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw InvalidFormatException.from(p, e.getMessage(), text, Duration.class);
            }
        }
    }
}
