package io.tocsin.ingest;

/** How an input's event time advances (see {@link IngestWatermarks}). */
public enum EventTimeMode {
    /**
     * Bounded files or collections: pure event time, no idleness (a finished input ends with the
     * final watermark), so the output depends on nothing but the input.
     */
    BACKTEST,
    /**
     * Recorded input replayed faster than it happened (the demo): event time, and an input silent
     * for idleTimeout of wall-clock time stops holding the others back.
     */
    REPLAY,
    /** The live job: event time driven by heartbeats in the log ({@link Heartbeats}). */
    LIVE
}
