package io.tocsin.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The decoded holders cross operator boundaries on every record; if Flink stopped seeing them as
 * POJOs (say the type parameter became unbound) it would fall back to Kryo without a word.
 */
class DecodedTypeTest {

    @ParameterizedTest
    @CsvSource({
        "io.tocsin.ingest.Ingested, io.tocsin.avro.Alert",
        "io.tocsin.ingest.IngestedPoint, io.tocsin.avro.MetricPoint",
        "io.tocsin.ingest.IngestedCommand, io.tocsin.avro.Command",
    })
    void eachHolderIsAPojoWhoseValueIsTheAvroRecord(String holder, String record)
            throws ClassNotFoundException {
        TypeInformation<?> t = TypeInformation.of(Class.forName(holder));
        assertThat(t).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<?> pojo = (PojoTypeInfo<?>) t;
        assertThat(pojo.getFieldNames())
                .containsExactlyInAnyOrder("value", "deadLetter", "heartbeatAt");
        TypeInformation<?> value = pojo.getTypeAt(pojo.getFieldIndex("value"));
        assertThat(value).isInstanceOf(AvroTypeInfo.class);
        assertThat(value.getTypeClass().getName()).isEqualTo(record);
        assertThat(pojo.getTypeAt(pojo.getFieldIndex("deadLetter")))
                .isInstanceOf(AvroTypeInfo.class);
    }
}
