package io.tocsin.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Makes malformed records out of valid ones, deterministically from a seed: byte-level mutation,
 * structure-aware JSON mutation (wrong types, missing and extra fields, deep nesting, huge label
 * maps and strings, absurd timestamps, lone surrogates), invalid UTF-8, Avro with a broken body or
 * a foreign header, random bytes and oversize records. Sizes are bounded (a few MiB at most, and
 * those rarely) so a run cannot exhaust the heap by itself.
 */
final class Mutator {

    /** The mutations, each counted on its own in the report. */
    enum Kind {
        FLIP,
        TRUNCATE,
        INSERT,
        DUPLICATE,
        DELETE,
        RANDOM,
        INVALID_UTF8,
        WRONG_TYPE,
        MISSING_FIELD,
        EXTRA_FIELD,
        DEEP_NESTING,
        HUGE_LABELS,
        HUGE_STRING,
        ABSURD_TIME,
        ABSURD_NUMBER,
        LONE_SURROGATE,
        OVERSIZE,
        FOREIGN,
        AVRO_BODY,
        AVRO_HEADER,
        AVRO_HUGE_LENGTH,
        STACKED
    }

    /** A malformed record and how it was made. */
    record Mutant(byte[] bytes, Kind kind) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final byte[][] BAD_UTF8 = {
        {(byte) 0xFF},
        {(byte) 0xC0, (byte) 0x80}, // overlong NUL
        {(byte) 0x80}, // lone continuation byte
        {(byte) 0xE2, (byte) 0x82}, // truncated three-byte sequence
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // an encoded surrogate (CESU-8)
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
        {(byte) 0xFE, (byte) 0xFE, (byte) 0xFF, (byte) 0xFF},
        {0}
    };

    private static final String[] ABSURD_TIMES = {
        "99999-01-01T00:00:00Z",
        "+99999-01-01T00:00:00Z",
        "+999999999-12-31T23:59:59.999999999Z",
        "-999999999-01-01T00:00:00Z",
        "-0001-01-01T00:00:00Z",
        "1500-01-01T00:00:00Z",
        "2300-01-01T00:00:00Z",
        "2262-04-12T00:00:00Z",
        "1677-09-21T00:00:00Z",
        "0001-01-01T00:00:00Z",
        "0000-01-01T00:00:00Z",
        "2026-13-45T25:61:61Z",
        "2026-02-30T00:00:00Z",
        "2026-11-02 02:00:00",
        "2026-11-02T02:00:00",
        "2026-11-02T02:00:00+25:00",
        "yesterday",
        "",
        " ",
        "NaN",
        "1e400",
        "1764036000000"
    };

    /** Raw JSON number tokens (some not JSON at all), put where a value was. */
    private static final String[] ABSURD_NUMBERS = {
        "-1",
        "0",
        "9223372036854775807",
        "-9223372036854775808",
        "9223372036854775808",
        "1e400",
        "-1e400",
        "1e-400",
        "NaN",
        "Infinity",
        "-Infinity",
        "1.5",
        "-0.0",
        "0x10",
        "01",
        "1" + "0".repeat(2000),
        "1".repeat(200) + "e" + "9".repeat(20)
    };

    private final SplittableRandom random;
    private final int oversizeBytes;

    /**
     * @param oversizeBytes a record at least this long is over the decoders' size limit
     */
    Mutator(long seed, int oversizeBytes) {
        this.random = new SplittableRandom(seed);
        this.oversizeBytes = oversizeBytes;
    }

    SplittableRandom random() {
        return random;
    }

    Mutant mutate(byte[] seed, List<byte[]> foreign) {
        if (isAvro(seed)) {
            return mutateAvro(seed, foreign);
        }
        int r = random.nextInt(100);
        if (r < 28) {
            return bytes(seed);
        }
        if (r < 32) {
            return foreign.isEmpty() ? bytes(seed) : new Mutant(pick(foreign), Kind.FOREIGN);
        }
        if (r < 36) {
            Mutant first = mutateJson(seed);
            Mutant second = bytes(first.bytes());
            return new Mutant(second.bytes(), Kind.STACKED);
        }
        return mutateJson(seed);
    }

    // --- bytes ---------------------------------------------------------------------------------

    private Mutant bytes(byte[] s) {
        if (s.length == 0) {
            return new Mutant(new byte[] {(byte) random.nextInt(256)}, Kind.RANDOM);
        }
        switch (random.nextInt(8)) {
            case 0 -> {
                byte[] b = s.clone();
                int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips && b.length > 0; i++) {
                    b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return new Mutant(b, Kind.FLIP);
            }
            case 1 -> {
                return new Mutant(
                        Arrays.copyOf(s, s.length == 0 ? 0 : random.nextInt(s.length)),
                        Kind.TRUNCATE);
            }
            case 2 -> {
                byte[] ins = new byte[1 + random.nextInt(16)];
                random.nextBytes(ins);
                return new Mutant(splice(s, random.nextInt(s.length + 1), 0, ins), Kind.INSERT);
            }
            case 3 -> {
                int from = random.nextInt(s.length);
                int len = 1 + random.nextInt(s.length - from);
                byte[] slice = Arrays.copyOfRange(s, from, from + len);
                return new Mutant(splice(s, from, 0, slice), Kind.DUPLICATE);
            }
            case 4 -> {
                int from = random.nextInt(s.length);
                int len = 1 + random.nextInt(Math.min(16, s.length - from));
                return new Mutant(splice(s, from, len, new byte[0]), Kind.DELETE);
            }
            case 5 -> {
                byte[] b = new byte[random.nextInt(512)];
                random.nextBytes(b);
                if (b.length > 2 && random.nextBoolean()) {
                    b[0] = (byte) 0xC3; // random bytes behind the Avro marker
                    b[1] = 0x01;
                }
                return new Mutant(b, Kind.RANDOM);
            }
            case 6 -> {
                byte[] bad = BAD_UTF8[random.nextInt(BAD_UTF8.length)];
                int at = random.nextInt(s.length + 1);
                // Inside a string value when there is one near, where a parser is most lenient.
                for (int i = at; i < s.length; i++) {
                    if (s[i] == '"') {
                        at = i + 1;
                        break;
                    }
                }
                return new Mutant(splice(s, Math.min(at, s.length), 0, bad), Kind.INVALID_UTF8);
            }
            default -> {
                if (random.nextInt(20) == 0) {
                    return oversize(s);
                }
                byte[] b = s.clone();
                if (b.length > 0) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
                return new Mutant(b, Kind.FLIP);
            }
        }
    }

    private Mutant oversize(byte[] s) {
        // Valid JSON up to the end, padded past the limit (whitespace or a long string field).
        int extra = Math.max(1, oversizeBytes - s.length + 1 + random.nextInt(1024));
        byte[] pad = new byte[extra];
        Arrays.fill(pad, random.nextBoolean() ? (byte) ' ' : (byte) 'x');
        return new Mutant(splice(s, s.length, 0, pad), Kind.OVERSIZE);
    }

    // --- JSON ----------------------------------------------------------------------------------

    private Mutant mutateJson(byte[] seed) {
        JsonNode tree;
        try {
            tree = JSON.readTree(seed);
        } catch (IOException e) {
            return bytes(seed);
        }
        int r = random.nextInt(100);
        if (r < 16) {
            return json(tree, this::wrongType, Kind.WRONG_TYPE);
        }
        if (r < 26) {
            return json(tree, this::missingField, Kind.MISSING_FIELD);
        }
        if (r < 34) {
            return json(tree, this::extraField, Kind.EXTRA_FIELD);
        }
        if (r < 42) {
            return deepNesting(seed);
        }
        if (r < 54) {
            return hugeLabels(tree);
        }
        if (r < 62) {
            return hugeString(tree);
        }
        if (r < 80) {
            return absurdTime(tree);
        }
        if (r < 88) {
            return absurdNumber(tree);
        }
        if (r < 99) {
            return loneSurrogate(tree);
        }
        return oversize(seed);
    }

    /** One of {@code common}; {@code big} one time in 20, {@code huge} one in 500 (they cost). */
    private int rare(int[] common, int big, int huge) {
        int r = random.nextInt(500);
        return r == 0 ? huge : r < 25 ? big : common[random.nextInt(common.length)];
    }

    private interface TreeEdit {
        void apply(JsonNode root);
    }

    private Mutant json(JsonNode tree, TreeEdit edit, Kind kind) {
        JsonNode copy = tree.deepCopy();
        edit.apply(copy);
        return new Mutant(write(copy), kind);
    }

    private void wrongType(JsonNode root) {
        Slot slot = pickSlot(root);
        if (slot != null) {
            slot.set(randomValue(0));
        }
    }

    private void missingField(JsonNode root) {
        List<Slot> slots = slots(root);
        Slot slot = slots.isEmpty() ? null : slots.get(random.nextInt(slots.size()));
        if (slot != null) {
            slot.remove();
        }
    }

    private void extraField(JsonNode root) {
        List<ObjectNode> objects = new ArrayList<>();
        collectObjects(root, objects);
        if (!objects.isEmpty()) {
            objects.get(random.nextInt(objects.size()))
                    .set(random.nextBoolean() ? "unexpected" : "labels", randomValue(0));
        }
    }

    private Mutant deepNesting(byte[] seed) {
        int[] depths = {65, 66, 100, 1000, 10_000};
        int depth = depths[random.nextInt(depths.length)];
        StringBuilder deep = new StringBuilder(depth * 6 + 8);
        boolean objects = random.nextBoolean();
        for (int i = 0; i < depth; i++) {
            deep.append(objects ? "{\"a\":" : "[");
        }
        deep.append('1');
        for (int i = 0; i < depth; i++) {
            deep.append(objects ? '}' : ']');
        }
        String s = new String(seed, StandardCharsets.UTF_8);
        String out;
        int brace = s.indexOf('{');
        if (random.nextBoolean() && brace >= 0) {
            // The valid record with one deeply nested extra field.
            out = s.substring(0, brace + 1) + "\"nested\":" + deep + "," + s.substring(brace + 1);
        } else {
            out = deep.toString();
        }
        return new Mutant(out.getBytes(StandardCharsets.UTF_8), Kind.DEEP_NESTING);
    }

    private Mutant hugeLabels(JsonNode tree) {
        JsonNode copy = tree.deepCopy();
        List<ObjectNode> labelled = new ArrayList<>();
        collectWith(copy, "labels", labelled);
        if (labelled.isEmpty()) {
            collectObjects(copy, labelled);
        }
        if (labelled.isEmpty()) {
            return json(tree, this::wrongType, Kind.WRONG_TYPE);
        }
        ObjectNode owner = labelled.get(random.nextInt(labelled.size()));
        int n = rare(new int[] {129, 200, 1000}, 5000, 100_000);
        ObjectNode labels = NODES.objectNode();
        for (int i = 0; i < n; i++) {
            labels.put("l" + i, "v" + i);
        }
        owner.set(random.nextInt(4) == 0 ? "annotations" : "labels", labels);
        return new Mutant(write(copy), Kind.HUGE_LABELS);
    }

    private Mutant hugeString(JsonNode tree) {
        JsonNode copy = tree.deepCopy();
        int n = rare(new int[] {257, 4097, 16_385}, 100_000, 1 << 20);
        String big = "x".repeat(n);
        List<ObjectNode> objects = new ArrayList<>();
        collectObjects(copy, objects);
        ObjectNode o = objects.get(random.nextInt(objects.size()));
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        if (names.isEmpty() || random.nextInt(3) == 0) {
            o.put(big.substring(0, Math.min(n, 1000 + random.nextInt(n))), "v"); // a long name
        } else {
            o.put(names.get(random.nextInt(names.size())), big);
        }
        return new Mutant(write(copy), Kind.HUGE_STRING);
    }

    private Mutant absurdTime(JsonNode tree) {
        JsonNode copy = tree.deepCopy();
        List<ObjectNode> owners = new ArrayList<>();
        String[] fields = {"startsAt", "endsAt", "receivedAt", "timestamp", "issuedAt", "at"};
        String field = fields[random.nextInt(fields.length)];
        collectWith(copy, field, owners);
        if (owners.isEmpty()) {
            collectObjects(copy, owners);
        }
        ObjectNode o = owners.get(random.nextInt(owners.size()));
        if (random.nextInt(3) == 0) {
            String token = ABSURD_NUMBERS[random.nextInt(ABSURD_NUMBERS.length)];
            return new Mutant(withRawToken(copy, o, field, token), Kind.ABSURD_TIME);
        }
        o.put(field, ABSURD_TIMES[random.nextInt(ABSURD_TIMES.length)]);
        return new Mutant(write(copy), Kind.ABSURD_TIME);
    }

    private Mutant absurdNumber(JsonNode tree) {
        JsonNode copy = tree.deepCopy();
        List<Slot> slots = slots(copy);
        if (slots.isEmpty()) {
            return json(tree, this::wrongType, Kind.WRONG_TYPE);
        }
        Slot slot = slots.get(random.nextInt(slots.size()));
        String token = ABSURD_NUMBERS[random.nextInt(ABSURD_NUMBERS.length)];
        if (slot.parent instanceof ObjectNode o) {
            return new Mutant(withRawToken(copy, o, slot.name, token), Kind.ABSURD_NUMBER);
        }
        slot.set(NODES.textNode(PLACEHOLDER));
        return new Mutant(replacePlaceholder(copy, token), Kind.ABSURD_NUMBER);
    }

    private static final String PLACEHOLDER = "\u0001fuzz-token\u0001";

    private static byte[] withRawToken(JsonNode root, ObjectNode o, String field, String token) {
        o.put(field, PLACEHOLDER);
        return replacePlaceholder(root, token);
    }

    private static byte[] replacePlaceholder(JsonNode root, String token) {
        String text = new String(write(root), StandardCharsets.UTF_8);
        return text.replace("\"\\u0001fuzz-token\\u0001\"", token).getBytes(StandardCharsets.UTF_8);
    }

    private Mutant loneSurrogate(JsonNode tree) {
        JsonNode copy = tree.deepCopy();
        List<Slot> slots = slots(copy);
        String[] bad = {"\\ud800", "\\udfff", "a\\ud83d", "\\ude00b", "\\u0000"};
        String escape = bad[random.nextInt(bad.length)];
        if (slots.isEmpty()) {
            return json(tree, this::wrongType, Kind.WRONG_TYPE);
        }
        Slot slot = slots.get(random.nextInt(slots.size()));
        if (slot.parent instanceof ObjectNode o && random.nextBoolean()) {
            // In a field name: labels are keyed by them.
            JsonNode v = o.remove(slot.name);
            o.set(slot.name + PLACEHOLDER, v);
            String text = new String(write(copy), StandardCharsets.UTF_8);
            return new Mutant(
                    text.replace("\\u0001fuzz-token\\u0001", escape)
                            .getBytes(StandardCharsets.UTF_8),
                    Kind.LONE_SURROGATE);
        }
        String old = slot.get().isTextual() ? slot.get().asText() : "";
        slot.set(NODES.textNode(old + PLACEHOLDER));
        String text = new String(write(copy), StandardCharsets.UTF_8);
        return new Mutant(
                text.replace("\\u0001fuzz-token\\u0001", escape).getBytes(StandardCharsets.UTF_8),
                Kind.LONE_SURROGATE);
    }

    private JsonNode randomValue(int depth) {
        switch (random.nextInt(depth > 2 ? 6 : 8)) {
            case 0:
                return NODES.numberNode(random.nextLong());
            case 1:
                return NODES.numberNode(random.nextDouble() * 1e6);
            case 2:
                return NODES.booleanNode(random.nextBoolean());
            case 3:
                return NODES.nullNode();
            case 4:
                return NODES.textNode("");
            case 5:
                return NODES.textNode("s" + random.nextInt(1000));
            case 6:
                {
                    ArrayNode a = NODES.arrayNode();
                    int n = random.nextInt(3);
                    for (int i = 0; i < n; i++) {
                        a.add(randomValue(depth + 1));
                    }
                    return a;
                }
            default:
                {
                    ObjectNode o = NODES.objectNode();
                    int n = random.nextInt(3);
                    for (int i = 0; i < n; i++) {
                        o.set("k" + i, randomValue(depth + 1));
                    }
                    return o;
                }
        }
    }

    // --- Avro ----------------------------------------------------------------------------------

    private Mutant mutateAvro(byte[] seed, List<byte[]> foreign) {
        int r = random.nextInt(100);
        if (r < 30) {
            return bytes(seed);
        }
        if (r < 45) {
            // A truncated or corrupted body behind the valid header.
            byte[] b = seed.clone();
            if (random.nextBoolean()) {
                return new Mutant(
                        Arrays.copyOf(b, 10 + random.nextInt(Math.max(1, b.length - 10))),
                        Kind.AVRO_BODY);
            }
            for (int i = 0; i < 1 + random.nextInt(3); i++) {
                b[10 + random.nextInt(b.length - 10)] = (byte) random.nextInt(256);
            }
            return new Mutant(b, Kind.AVRO_BODY);
        }
        if (r < 55) {
            // The header of this schema with random bytes or another record's body behind it.
            byte[] body;
            if (!foreign.isEmpty() && random.nextBoolean()) {
                byte[] f = pick(foreign);
                body = Arrays.copyOfRange(f, Math.min(10, f.length), f.length);
            } else {
                body = new byte[random.nextInt(256)];
                random.nextBytes(body);
            }
            return new Mutant(splice(Arrays.copyOf(seed, 10), 10, 0, body), Kind.AVRO_BODY);
        }
        if (r < 70) {
            // A length or count past the record's end: the decoder must not allocate it.
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(seed, 0, 10);
            int at = random.nextInt(3);
            long[] claims = {Integer.MAX_VALUE - 8, 1L << 30, 500_000_000, -1, -(1L << 30)};
            long claim = claims[random.nextInt(claims.length)];
            // Skip up to 'at' leading string fields of the seed, then claim.
            byte[] rest = Arrays.copyOfRange(seed, 10, seed.length);
            int pos = 0;
            for (int i = 0; i < at && pos < rest.length; i++) {
                long[] varint = readVarint(rest, pos);
                int len = (int) zigzag(varint[0]);
                int next = (int) varint[1] + Math.max(0, len);
                if (len < 0 || next > rest.length) {
                    break;
                }
                pos = next;
            }
            out.write(rest, 0, pos);
            writeVarint(out, (claim << 1) ^ (claim >> 63));
            byte[] tail = new byte[random.nextInt(64)];
            random.nextBytes(tail);
            out.write(tail, 0, tail.length);
            return new Mutant(out.toByteArray(), Kind.AVRO_HUGE_LENGTH);
        }
        if (r < 85) {
            if (!foreign.isEmpty()) {
                return new Mutant(pick(foreign), Kind.FOREIGN);
            }
            return bytes(seed);
        }
        // Another (older, newer or unknown) writer schema's fingerprint on this body.
        byte[] b = seed.clone();
        for (int i = 2; i < 10; i++) {
            if (random.nextInt(3) == 0) {
                b[i] = (byte) random.nextInt(256);
            }
        }
        return new Mutant(b, Kind.AVRO_HEADER);
    }

    private static long zigzag(long n) {
        return (n >>> 1) ^ -(n & 1);
    }

    private static long[] readVarint(byte[] b, int pos) {
        long v = 0;
        int shift = 0;
        while (pos < b.length && shift < 64) {
            int x = b[pos++] & 0xFF;
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                break;
            }
            shift += 7;
        }
        return new long[] {v, pos};
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    // --- helpers -------------------------------------------------------------------------------

    static boolean isAvro(byte[] b) {
        return b.length > 10 && b[0] == (byte) 0xC3 && b[1] == 0x01;
    }

    private byte[] pick(List<byte[]> list) {
        return list.get(random.nextInt(list.size()));
    }

    private static byte[] splice(byte[] s, int at, int removed, byte[] inserted) {
        byte[] out = new byte[s.length - removed + inserted.length];
        System.arraycopy(s, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(s, at + removed, out, at + inserted.length, s.length - at - removed);
        return out;
    }

    private static byte[] write(JsonNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A place in the tree: a field of an object or an element of an array. */
    private static final class Slot {
        final JsonNode parent;
        final String name;
        final int index;

        Slot(JsonNode parent, String name, int index) {
            this.parent = parent;
            this.name = name;
            this.index = index;
        }

        JsonNode get() {
            return parent instanceof ObjectNode o ? o.get(name) : parent.get(index);
        }

        void set(JsonNode v) {
            if (parent instanceof ObjectNode o) {
                o.set(name, v);
            } else {
                ((ArrayNode) parent).set(index, v);
            }
        }

        void remove() {
            if (parent instanceof ObjectNode o) {
                o.remove(name);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }
    }

    private Slot pickSlot(JsonNode root) {
        List<Slot> slots = slots(root);
        return slots.isEmpty() ? null : slots.get(random.nextInt(slots.size()));
    }

    private static List<Slot> slots(JsonNode root) {
        List<Slot> out = new ArrayList<>();
        collectSlots(root, out);
        return out;
    }

    private static void collectSlots(JsonNode n, List<Slot> out) {
        if (n instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.add(new Slot(o, e.getKey(), -1));
                collectSlots(e.getValue(), out);
            }
        } else if (n instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                out.add(new Slot(a, null, i));
                collectSlots(a.get(i), out);
            }
        }
    }

    private static void collectObjects(JsonNode n, List<ObjectNode> out) {
        if (n instanceof ObjectNode o) {
            out.add(o);
        }
        for (JsonNode child : n) {
            collectObjects(child, out);
        }
    }

    private static void collectWith(JsonNode n, String field, List<ObjectNode> out) {
        if (n instanceof ObjectNode o && o.has(field)) {
            out.add(o);
        }
        for (JsonNode child : n) {
            collectWith(child, field, out);
        }
    }
}
