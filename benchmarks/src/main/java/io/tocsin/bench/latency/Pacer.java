package io.tocsin.bench.latency;

import java.util.concurrent.locks.LockSupport;

/**
 * Paces a sender at a fixed rate (records per second) without drift: before each unit of work it
 * waits until the schedule allows it. Rate 0 means as fast as the sender can go.
 */
final class Pacer {

    private final double perSecond;
    private final long startNanos = System.nanoTime();
    private long done;

    Pacer(double perSecond) {
        this.perSecond = perSecond;
    }

    /** Waits until {@code n} more records may go, then counts them. */
    void acquire(int n) {
        if (perSecond > 0) {
            long due = startNanos + (long) (done * 1e9 / perSecond);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(Math.min(wait, 1_000_000));
            }
        }
        done += n;
    }

    long done() {
        return done;
    }

    double achievedPerSecond() {
        return done / ((System.nanoTime() - startNanos) / 1e9);
    }
}
