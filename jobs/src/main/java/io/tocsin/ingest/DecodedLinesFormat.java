package io.tocsin.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads a JSON Lines file (alerts: one Alertmanager alert object or webhook payload per line;
 * telemetry: one point per line) for Flink's FileSource, decoding as it reads. Not splittable, so
 * line numbers are exact and the order of the file is kept; dead letters carry the file name and
 * line number.
 */
public final class DecodedLinesFormat<T> extends SimpleStreamFormat<T> {

    private static final long serialVersionUID = 1L;

    private final String fileName;
    private final RecordDecoder<T> decoder;
    private final Class<T> type;

    public DecodedLinesFormat(String fileName, RecordDecoder<T> decoder, Class<T> type) {
        this.fileName = fileName;
        this.decoder = decoder;
        this.type = type;
    }

    @Override
    public StreamFormat.Reader<T> createReader(Configuration config, FSDataInputStream stream) {
        BufferedReader lines =
                new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8), 1 << 16);
        return new StreamFormat.Reader<>() {
            private final ArrayDeque<T> pending = new ArrayDeque<>();
            private long lineNumber;

            @Override
            public T read() throws IOException {
                while (pending.isEmpty()) {
                    String line = lines.readLine();
                    if (line == null) {
                        return null;
                    }
                    lineNumber++;
                    if (line.isBlank()) {
                        continue; // blank lines separate nothing in JSON Lines; not a record
                    }
                    decoder.decode(
                            line.getBytes(StandardCharsets.UTF_8),
                            Origin.line(fileName, lineNumber),
                            pending::add);
                }
                return pending.poll();
            }

            @Override
            public void close() throws IOException {
                lines.close();
            }
        };
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return TypeInformation.of(type);
    }
}
