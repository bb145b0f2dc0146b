package io.tocsin.pipeline;

import io.tocsin.anomaly.AnomalyScore;
import io.tocsin.avro.Alert;
import io.tocsin.avro.Change;
import io.tocsin.avro.DeadLetter;
import io.tocsin.avro.IncidentEvent;
import io.tocsin.config.Catalog;
import io.tocsin.control.CatalogVersion;
import io.tocsin.escalate.page.Page;
import io.tocsin.status.StatusUpdate;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Where the pipeline's output goes: Kafka topics and ClickHouse in live mode, files in backtest,
 * collections in tests. Each method attaches the sinks for one kind of output.
 */
public interface Sinks {

    /** Records that could not be accepted, with the reason. */
    void deadLetters(DataStream<DeadLetter> deadLetters);

    /** Alert state transitions after dedupe and suppression (what the correlator sees). */
    void alertTransitions(DataStream<Alert> transitions);

    /** Incident lifecycle events, the paging systems' and analysts' stream. */
    void incidentEvents(DataStream<IncidentEvent> events);

    /**
     * The telemetry detector's score for every point; a sink keeps what analysts need (live: points
     * at or above a level go to ClickHouse). Ignored by default.
     */
    default void anomalyScores(DataStream<AnomalyScore> scores) {}

    /** Accepted changes (deploys, config, flags, infrastructure). Ignored by default. */
    default void changes(DataStream<Change> changes) {}

    /** Pages for paging systems (PagerDuty Events v2 shaped). Ignored by default. */
    default void pages(DataStream<Page> pages) {}

    /**
     * Status updates per audience (technical, business, executive, customer). Ignored by default.
     */
    default void statusUpdates(DataStream<StatusUpdate> updates) {}

    /**
     * The service catalog the job started with and the versions the control topic sends (live: into
     * the ClickHouse services table). Ignored by default.
     */
    default void catalogs(DataStream<CatalogVersion> versions, Catalog initial) {}
}
