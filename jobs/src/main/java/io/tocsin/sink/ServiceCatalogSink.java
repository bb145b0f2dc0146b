package io.tocsin.sink;

import io.tocsin.config.Catalog;
import io.tocsin.config.ClickHouseSettings;
import java.io.IOException;
import java.io.Serializable;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.Function;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live job's service catalogs into the {@code services} table ({@link ServicesTable}): the
 * catalog the job started with (version time 0: in force until a control message replaces it),
 * written when the writer starts, then each catalog version from the control topic as it arrives,
 * with its event time. A version older than the newest written is left out, so the table shows the
 * newest. Run at parallelism 1: writes are read-modify-write. Catalog versions are rare; each is
 * written at once. A failed write fails the writer, and Flink restarts the job from the last
 * checkpoint, which sends the version again.
 *
 * @param <T> the version's type (the pipeline's control type, which this package does not see)
 */
public final class ServiceCatalogSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    /** A serializable function, for the version's time and catalog. */
    public interface Part<T, R> extends Function<T, R>, Serializable {}

    private final ClickHouseSettings settings;
    private final Catalog initial;
    private final Part<T, Long> at;
    private final Part<T, Catalog> catalog;

    /**
     * @param initial the catalog the job started with (empty: nothing written at start)
     * @param at a version's event time, epoch millis
     * @param catalog a version's catalog
     */
    public ServiceCatalogSink(
            ClickHouseSettings settings,
            Catalog initial,
            Part<T, Long> at,
            Part<T, Catalog> catalog) {
        this.settings = settings;
        this.initial = initial;
        this.at = at;
        this.catalog = catalog;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        if (!initial.isEmpty()) {
            write(initial, Instant.EPOCH);
        }
        return new SinkWriter<>() {
            @Override
            public void write(T version, Context ctx) throws IOException {
                ServiceCatalogSink.this.write(
                        catalog.apply(version), Instant.ofEpochMilli(at.apply(version)));
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }

    private void write(Catalog c, Instant version) throws IOException {
        try {
            int n = ServicesTable.writeCatalog(settings, c, version);
            Logger log = LoggerFactory.getLogger(ServiceCatalogSink.class);
            if (n < 0) {
                log.info("services: catalog of {} left out, a newer one is written", version);
            } else {
                log.info("services: catalog of {} written ({} rows)", version, n);
            }
        } catch (SQLException e) {
            throw new IOException("services: cannot write the catalog of " + version, e);
        }
    }
}
