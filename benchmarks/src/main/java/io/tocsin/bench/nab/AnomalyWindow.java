package io.tocsin.bench.nab;

import java.time.LocalDateTime;

/** One labelled NAB anomaly window: both ends inclusive, in the data file's local time. */
public record AnomalyWindow(LocalDateTime start, LocalDateTime end) {}
