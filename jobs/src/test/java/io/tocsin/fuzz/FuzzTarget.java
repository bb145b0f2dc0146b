package io.tocsin.fuzz;

import io.tocsin.avro.DeadLetter;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * One decoder under the fuzz test: a name, valid records to mutate, the decode function and what
 * its dead letters must keep of the input. Adding a decoder is one of these in {@link
 * DecoderFuzzTest#targets()}.
 *
 * @param name shown in the counts
 * @param seeds valid records (the test checks that each decodes without a dead letter)
 * @param foreign well-formed records of other kinds, fed to this decoder whole and spliced in
 * @param decode every element one record decodes into; must not throw
 * @param original the bytes a dead letter of {@code record} must carry (identity for byte decoders;
 *     the UTF-8 of the text for decoders that read text)
 * @param roundTrip an accepted value as the job passes it on (serialized and read back, or rebuilt
 *     from its stored text); must equal the value, and must not throw
 */
public record FuzzTarget(
        String name,
        List<byte[]> seeds,
        List<byte[]> foreign,
        Function<byte[], List<Outcome>> decode,
        UnaryOperator<byte[]> original,
        UnaryOperator<Object> roundTrip) {

    /** A decoder of Avro records: dead letters carry the bytes, accepted records survive Avro. */
    public static FuzzTarget avro(
            String name,
            List<byte[]> seeds,
            List<byte[]> foreign,
            Function<byte[], List<Outcome>> decode) {
        return new FuzzTarget(
                name, seeds, foreign, decode, UnaryOperator.identity(), FuzzTarget::viaAvro);
    }

    /**
     * {@code value} written in its Avro schema (its own model, with logical types) and read back.
     */
    static Object viaAvro(Object value) {
        SpecificRecordBase r = (SpecificRecordBase) value;
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
            r.getSpecificData().createDatumWriter(r.getSchema()).write(r, enc);
            enc.flush();
            return r.getSpecificData()
                    .createDatumReader(r.getSchema())
                    .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One decoded element: the accepted value, or the dead letter. */
    public record Outcome(Object accepted, DeadLetter deadLetter) {

        public static Outcome accepted(Object value) {
            return new Outcome(value, null);
        }

        public static Outcome rejected(DeadLetter deadLetter) {
            return new Outcome(null, deadLetter);
        }
    }
}
