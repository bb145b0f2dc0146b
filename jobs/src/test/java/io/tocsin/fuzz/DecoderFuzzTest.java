package io.tocsin.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.avro.DeadLetter;
import io.tocsin.config.IngestPolicy;
import io.tocsin.config.SeverityTable;
import io.tocsin.control.ControlFuzzing;
import io.tocsin.fuzz.FuzzTarget.Outcome;
import io.tocsin.ingest.AlertDecoder;
import io.tocsin.ingest.ChangeDecoder;
import io.tocsin.ingest.CommandDecoder;
import io.tocsin.ingest.Decoded;
import io.tocsin.ingest.MetricPointDecoder;
import io.tocsin.ingest.Origin;
import io.tocsin.ingest.RecordDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Hostile input: at least {@code -Dtocsin.fuzz.records} (100,000 unless told; {@code ./tocsin test
 * --long} asks for 2,000,000) malformed records per decoder, made from valid ones by {@link
 * Mutator} from a fixed seed ({@code -Dtocsin.fuzz.seed}), with a valid record after every few.
 * Asserts, per decoder: nothing thrown (any Throwable counts, OutOfMemoryError included); every
 * record yields at least one element; every dead letter has a reason code, a reason and the
 * record's bytes; a mutant accepted whole is really valid (decodes the same again and survives the
 * job's serialization or rebuild); the valid records decode exactly as they do alone. The counts go
 * to stdout and target/fuzz/decoders.txt.
 *
 * <p>A decoder is one {@link FuzzTarget} in {@link #targets()}.
 */
class DecoderFuzzTest {

    static final int RECORDS = Integer.getInteger("tocsin.fuzz.records", 100_000);
    static final long SEED = Long.getLong("tocsin.fuzz.seed", 20L);

    /**
     * The fuzzed decoders' size limit: larger than the default, so that huge label maps and strings
     * reach the per-field limits instead of stopping at the size check.
     */
    static final int MAX_RECORD_BYTES = 2 << 20;

    /** A valid record after every this many mutants. */
    static final int VALID_EVERY = 8;

    static final IngestPolicy INGEST =
            new IngestPolicy(
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(30),
                    MAX_RECORD_BYTES,
                    IngestPolicy.AlertFormat.AUTO,
                    Duration.ofMillis(50),
                    Duration.ofMillis(50));

    static List<FuzzTarget> targets() {
        AlertDecoder alerts = AlertDecoder.of(INGEST, SeverityTable.defaults());
        MetricPointDecoder points = MetricPointDecoder.of(INGEST);
        CommandDecoder commands = CommandDecoder.of(INGEST);
        List<byte[]> alertAvro = avro(Seeds.alertsJson(), alerts);
        List<byte[]> pointAvro = avro(Seeds.pointsJson(), points);
        List<byte[]> commandAvro = avro(Seeds.commandsJson(), commands);
        ChangeDecoder changes = new ChangeDecoder(INGEST.maxRecordBytes());
        List<byte[]> changeAvro = avro(Seeds.changesJson(), changes);
        return List.of(
                FuzzTarget.avro(
                        "alerts/webhook",
                        Seeds.webhooks(),
                        concat(pointAvro, commandAvro),
                        decoding(alerts)),
                FuzzTarget.avro(
                        "alerts/json",
                        Seeds.alertsJson(),
                        concat(Seeds.pointsJson(), Seeds.commandsJson()),
                        decoding(alerts)),
                FuzzTarget.avro(
                        "alerts/avro",
                        alertAvro,
                        concat(
                                concat(pointAvro, commandAvro),
                                withFingerprintsOf("Alert", alertAvro)),
                        decoding(alerts)),
                FuzzTarget.avro(
                        "telemetry",
                        concat(Seeds.pointsJson(), pointAvro),
                        concat(
                                concat(alertAvro, commandAvro),
                                withFingerprintsOf("MetricPoint", pointAvro)),
                        decoding(points)),
                FuzzTarget.avro(
                        "commands",
                        concat(Seeds.commandsJson(), commandAvro),
                        concat(
                                concat(alertAvro, pointAvro),
                                withFingerprintsOf("Command", commandAvro)),
                        decoding(commands)),
                FuzzTarget.avro(
                        "changes",
                        concat(Seeds.changesJson(), changeAvro),
                        concat(
                                concat(alertAvro, commandAvro),
                                withFingerprintsOf("Change", changeAvro)),
                        decoding(changes)),
                ControlFuzzing.target(INGEST));
    }

    @TestFactory
    Stream<DynamicTest> noMalformedRecordCrashesADecoderOrGoesMissing() {
        List<String> report = new ArrayList<>();
        return targets().stream()
                .map(
                        t ->
                                DynamicTest.dynamicTest(
                                        t.name(),
                                        () -> {
                                            Counts c = run(t, RECORDS, SEED ^ t.name().hashCode());
                                            report.add(c.line());
                                            System.out.println("fuzz " + c.line());
                                            writeReport(report);
                                            assertThat(c.failures).isEmpty();
                                            assertThat(c.crashes).isZero();
                                            assertThat(c.deadLettered)
                                                    .isGreaterThanOrEqualTo(RECORDS);
                                            assertThat(c.validChecked).isGreaterThan(RECORDS / 10);
                                        }));
    }

    /** The counts of one target's run, and its first failures. */
    static final class Counts {
        final String name;
        long tried;
        long deadLettered;
        long stillValid;
        long crashes;
        long validChecked;
        long nanos;
        final Map<Mutator.Kind, long[]> byKind = new EnumMap<>(Mutator.Kind.class);
        final List<String> failures = new ArrayList<>();
        final List<String> acceptedSamples = new ArrayList<>();

        Counts(String name) {
            this.name = name;
        }

        void fail(String what) {
            if (failures.size() < 20) {
                failures.add(what.length() > 600 ? what.substring(0, 600) + "..." : what);
            }
        }

        String line() {
            StringBuilder kinds = new StringBuilder();
            byKind.forEach(
                    (k, v) ->
                            kinds.append(' ')
                                    .append(k.name().toLowerCase())
                                    .append('=')
                                    .append(v[0])
                                    .append('/')
                                    .append(v[1]));
            return String.format(
                    "%s: tried %d, dead-lettered %d, still valid %d, crashes %d, valid records"
                            + " checked %d, %d ms; by mutation (tried/still valid):%s%s",
                    name,
                    tried,
                    deadLettered,
                    stillValid,
                    crashes,
                    validChecked,
                    nanos / 1_000_000,
                    kinds,
                    acceptedSamples.isEmpty()
                            ? ""
                            : "\n  accepted although mutated, e.g.: "
                                    + String.join("\n    ", acceptedSamples));
        }
    }

    static Counts run(FuzzTarget t, int records, long seed) {
        Counts c = new Counts(t.name());
        List<List<Outcome>> alone = new ArrayList<>();
        for (byte[] s : t.seeds()) {
            List<Outcome> out = t.decode().apply(s);
            assertThat(out)
                    .as("%s: seed %s", t.name(), preview(s))
                    .isNotEmpty()
                    .allSatisfy(o -> assertThat(o.deadLetter()).isNull());
            alone.add(out);
        }
        Mutator mutator = new Mutator(seed, MAX_RECORD_BYTES);
        long start = System.nanoTime();
        long cap = 3L * records;
        while (c.deadLettered < records && c.tried < cap) {
            if (c.tried % VALID_EVERY == 0) {
                int i = mutator.random().nextInt(t.seeds().size());
                List<Outcome> again = t.decode().apply(t.seeds().get(i));
                c.validChecked++;
                if (!same(again, alone.get(i))) {
                    c.fail("valid record " + i + " decoded differently among malformed ones");
                }
            }
            byte[] seedRecord = t.seeds().get(mutator.random().nextInt(t.seeds().size()));
            Mutator.Mutant m = mutator.mutate(seedRecord, t.foreign());
            c.tried++;
            long[] kind = c.byKind.computeIfAbsent(m.kind(), k -> new long[2]);
            kind[0]++;
            List<Outcome> out;
            try {
                out = t.decode().apply(m.bytes());
            } catch (Throwable e) {
                c.crashes++;
                c.fail(m.kind() + " threw " + e + " on " + preview(m.bytes()));
                continue;
            }
            check(t, c, m, out, kind);
        }
        c.nanos = System.nanoTime() - start;
        return c;
    }

    private static void check(
            FuzzTarget t, Counts c, Mutator.Mutant m, List<Outcome> out, long[] kind) {
        if (out.isEmpty()) {
            c.fail(m.kind() + " vanished: no element, no dead letter for " + preview(m.bytes()));
            return;
        }
        boolean rejected = false;
        for (Outcome o : out) {
            DeadLetter d = o.deadLetter();
            if (d == null) {
                continue;
            }
            rejected = true;
            if (d.getReasonCode() == null
                    || d.getReasonCode().isBlank()
                    || d.getError() == null
                    || d.getError().isBlank()) {
                c.fail(m.kind() + " dead letter without a reason: " + d.getError());
            }
            if (!Arrays.equals(bytesOf(d.getOriginal()), t.original().apply(m.bytes()))) {
                c.fail(m.kind() + " dead letter lost the record's bytes: " + preview(m.bytes()));
            }
        }
        if (rejected) {
            c.deadLettered++;
            return;
        }
        // Accepted whole: a mutation that kept the record valid. Prove it is.
        c.stillValid++;
        kind[1]++;
        if (c.acceptedSamples.size() < 5) {
            c.acceptedSamples.add(m.kind() + " " + preview(m.bytes()));
        }
        try {
            if (!same(t.decode().apply(m.bytes()), out)) {
                c.fail(
                        m.kind()
                                + " accepted, but decodes differently again: "
                                + preview(m.bytes()));
            }
            for (Outcome o : out) {
                Object back = t.roundTrip().apply(o.accepted());
                // equals ignores map order; the text form counts NaN as equal to NaN
                if (!back.equals(o.accepted())
                        && !String.valueOf(back).equals(String.valueOf(o.accepted()))) {
                    c.fail(
                            m.kind()
                                    + " accepted, but changes on the way through the job: "
                                    + o.accepted()
                                    + " became "
                                    + back);
                }
            }
        } catch (Throwable e) {
            c.crashes++;
            c.fail(m.kind() + " accepted, but then " + e + " on " + preview(m.bytes()));
        }
    }

    /**
     * Whether two decodings are the same, compared as text: an accepted record's Avro JSON form
     * (where NaN equals NaN), a dead letter's reason and bytes.
     */
    static boolean same(List<Outcome> a, List<Outcome> b) {
        return a.stream()
                .map(DecoderFuzzTest::text)
                .toList()
                .equals(b.stream().map(DecoderFuzzTest::text).toList());
    }

    private static String text(Outcome o) {
        DeadLetter d = o.deadLetter();
        return d == null
                ? "accepted " + o.accepted()
                : "dead "
                        + d.getReasonCode()
                        + " "
                        + d.getError()
                        + " "
                        + Arrays.toString(bytesOf(d.getOriginal()));
    }

    // --- the decoders as fuzz targets ---------------------------------------------------------

    static Function<byte[], List<Outcome>> decoding(RecordDecoder<? extends Decoded<?>> decoder) {
        @SuppressWarnings("unchecked")
        RecordDecoder<Decoded<?>> d = (RecordDecoder<Decoded<?>>) decoder;
        return bytes -> {
            List<Outcome> out = new ArrayList<>();
            d.decode(
                    bytes,
                    Origin.line("fuzz", 1),
                    x ->
                            out.add(
                                    x.rejected() != null
                                            ? Outcome.rejected(x.rejected())
                                            : Outcome.accepted(x.accepted())));
            return out;
        };
    }

    /** The JSON seeds' accepted records, as Avro single-object bytes. */
    static List<byte[]> avro(List<byte[]> json, RecordDecoder<? extends Decoded<?>> decoder) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] j : json) {
            for (Outcome o : decoding(decoder).apply(j)) {
                out.add(singleObject(o.accepted()));
            }
        }
        return out;
    }

    static byte[] singleObject(Object record) {
        try {
            ByteBuffer b = (ByteBuffer) record.getClass().getMethod("toByteBuffer").invoke(record);
            return bytesOf(b);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The records behind the header of each frozen writer schema of {@code name} and of one that
     * does not exist: a writer older or newer than the decoder.
     */
    static List<byte[]> withFingerprintsOf(String name, List<byte[]> records) {
        List<Long> fingerprints = new ArrayList<>();
        Path history = Path.of(System.getProperty("tocsin.home", ".."), "schemas/history", name);
        try (Stream<Path> versions = Files.list(history)) {
            for (Path v : versions.sorted().toList()) {
                Schema s = new Schema.Parser().parse(v.toFile());
                fingerprints.add(SchemaNormalization.parsingFingerprint64(s));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        fingerprints.add(0x5eed_f00dL);
        List<byte[]> out = new ArrayList<>();
        for (byte[] r : records) {
            for (long f : fingerprints) {
                byte[] b = r.clone();
                ByteBuffer.wrap(b, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(f);
                out.add(b);
            }
        }
        return out;
    }

    static byte[] bytesOf(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static String preview(byte[] b) {
        String s = new String(b, 0, Math.min(b.length, 160), StandardCharsets.ISO_8859_1);
        return b.length + " bytes: " + s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static void writeReport(List<String> lines) {
        try {
            Path dir = Path.of("target", "fuzz");
            Files.createDirectories(dir);
            Files.write(dir.resolve("decoders.txt"), lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
