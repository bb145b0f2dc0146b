package io.tocsin.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;

/**
 * What one input record may hold (the policy's {@code ingest} section, next to {@code
 * maxRecordBytes}); a record over any of them is dead-lettered with a reason naming the field and
 * the limit. They bound what a hostile or broken producer can make the job hold per record.
 *
 * @param maxLabels labels per alert or metric point
 * @param maxLabelNameLength characters in one label name
 * @param maxLabelValueLength characters in one label value
 * @param maxAnnotations annotations per alert
 * @param maxAnnotationLength characters in one annotation value
 * @param maxNestingDepth JSON nesting depth of a record (objects and arrays), enforced by the
 *     parser itself, so a deeply nested record never reaches a recursive reader
 */
public record InputLimits(
        int maxLabels,
        int maxLabelNameLength,
        int maxLabelValueLength,
        int maxAnnotations,
        int maxAnnotationLength,
        int maxNestingDepth)
        implements Serializable {

    public static final InputLimits DEFAULTS = new InputLimits(128, 256, 4096, 64, 16384, 64);

    /**
     * A JSON reader that refuses, while parsing, documents nested deeper than {@link
     * #maxNestingDepth} and strings or numbers longer than a record can be ({@code
     * maxRecordBytes}). Thread-safe; callers keep one.
     */
    public ObjectMapper jsonReader(int maxRecordBytes) {
        return new ObjectMapper(
                JsonFactory.builder()
                        .streamReadConstraints(
                                StreamReadConstraints.builder()
                                        .maxNestingDepth(maxNestingDepth)
                                        .maxStringLength(maxRecordBytes)
                                        .maxNumberLength(1000)
                                        .build())
                        .build());
    }
}
