package io.tocsin.bench.latency;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./tocsin bench latency}: how long a new critical alert takes to become a page, with the
 * job running as {@code tocsin run} runs it, through the real local broker, beside Alertmanager fed
 * the same alerts in the same run.
 *
 * <p>Conditions: after a quiet period (no record on any input for {@code --quiet-seconds}), and
 * under a steady load of re-sent active alerts at fractions of each system's sustained rate (found
 * first by flooding it). A probe is a new critical alert on a service of its own; its answers are
 * the page on the pages topic and the OPENED event on incident-events (read_committed), and
 * Alertmanager's webhook notification (group_wait 1 s). Latency is from the send (Kafka produce, or
 * the API POST) to the answer's arrival at the reader.
 */
@Command(
        name = "latency",
        mixinStandardHelpOptions = true,
        description = "Page latency of tocsin run beside Alertmanager, quiet and under load.")
public final class LatencyBenchmark implements Callable<Integer> {

    @Option(names = "--kafka", description = "bootstrap servers (default ${DEFAULT-VALUE})")
    String kafka = "127.0.0.1:9092";

    @Option(names = "--tocsin", required = true, description = "the launcher (./tocsin)")
    Path launcher;

    @Option(names = "--policy", required = true, description = "the job's policy file")
    Path policy;

    @Option(names = "--alertmanager", required = true, description = "Alertmanager's binary")
    String alertmanager;

    @Option(names = "--am-port", description = "Alertmanager's port (default ${DEFAULT-VALUE})")
    int amPort = 19328;

    @Option(names = "--out", required = true, description = "working and result directory")
    Path out;

    @Option(names = "--mode", description = "quick or full, as reported (default ${DEFAULT-VALUE})")
    String mode = "quick";

    @Option(names = "--quiet-probes", description = "probes after a quiet period")
    int quietProbes = 3;

    @Option(names = "--quiet-seconds", description = "the quiet period before each")
    int quietSeconds = 60;

    @Option(names = "--flood-seconds", description = "flood used to find the sustained rate")
    int floodSeconds = 30;

    @Option(names = "--phase-seconds", description = "length of each load phase")
    int phaseSeconds = 30;

    @Option(names = "--probe-every-ms", description = "probe interval under load")
    int probeEveryMs = 250;

    @Option(
            names = "--fractions",
            split = ",",
            description = "load as fractions of the sustained rate")
    List<Double> fractions = List.of(0.25, 0.5, 0.9);

    @Option(names = "--active", description = "active alerts re-sent as load")
    int active = 10_000;

    @Option(names = "--parallelism", description = "the job's parallelism")
    int parallelism = 2;

    private final AtomicLong nextProbe = new AtomicLong(1);
    private final ProbeClock tocsinClock = new ProbeClock();
    private final ProbeClock amClock = new ProbeClock();
    private final List<String> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new LatencyBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        long stamp = Instant.now().getEpochSecond();
        String prefix = "lat" + stamp + ".";
        String group = "latency-" + stamp;
        Files.createDirectories(out);
        LoadAlerts load = new LoadAlerts(active, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        List<String> run =
                List.of(
                        launcher.toString(),
                        "run",
                        "--kafka",
                        kafka,
                        "--clickhouse",
                        "none",
                        "--policy",
                        policy.toString(),
                        "--group-id",
                        group,
                        "--topic-prefix",
                        prefix,
                        "--parallelism",
                        Integer.toString(parallelism),
                        "--checkpoint-dir",
                        out.resolve("checkpoints").toUri().toString(),
                        "--savepoint-dir",
                        out.resolve("savepoints").toUri().toString(),
                        "--fresh");
        say("topics %s*, job group %s, Alertmanager on :%d", prefix, group, amPort);
        try (TocsinSide tocsin = new TocsinSide(kafka, prefix, group, tocsinClock);
                AlertmanagerSide am =
                        new AlertmanagerSide(alertmanager, amPort, out.resolve("am"), amClock);
                JobProcess job = new JobProcess(run, out.resolve("job.log"))) {
            tocsin.startReading();
            say(
                    "job running (pid %d); Alertmanager %s (pid %d)",
                    job.pid(), am.version(), am.pid());
            warmUp(tocsin, am, load);
            quiet(tocsin, am);
            double tocsinRate = sustainedTocsin(tocsin, load);
            for (double f : fractions) {
                tocsinPhase(tocsin, load, f, tocsinRate);
            }
            double amRate = sustainedAlertmanager(am, load);
            for (double f : fractions) {
                alertmanagerPhase(am, load, f, amRate);
            }
        }
        String report = report();
        Files.writeString(out.resolve("result.md"), report);
        System.out.println(report);
        say("results in %s (copy the figures to benchmarks/RESULTS.md)", out.resolve("result.md"));
        return 0;
    }

    /**
     * Five probes each (JIT, connections), then every active alert once, so that the load phases
     * are re-sends of known alerts (deduplicated), as Prometheus re-sends firing alerts.
     */
    private void warmUp(TocsinSide tocsin, AlertmanagerSide am, LoadAlerts load) throws Exception {
        say("warm-up: 5 probes, then each of the %d active alerts once", active);
        for (int i = 0; i < 5; i++) {
            long p = nextProbe.getAndIncrement();
            tocsin.sendProbe(p);
            am.sendProbe(p);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            if (!tocsinClock.await(p, deadline, ProbeClock.Answer.PAGE)
                    || !amClock.await(p, deadline, ProbeClock.Answer.ALERTMANAGER)) {
                throw new IllegalStateException(
                        "a warm-up probe got no answer in 60 s (page: "
                                + tocsinClock.answered(ProbeClock.Answer.PAGE, p)
                                + ", Alertmanager: "
                                + amClock.answered(ProbeClock.Answer.ALERTMANAGER, p)
                                + "); see "
                                + out);
            }
        }
        AtomicBoolean always = new AtomicBoolean(true);
        tocsin.sendLoad(load, 5_000, active, always);
        am.sendLoad(load, 0, 4, active, always);
        drain(tocsin, tocsinClock);
    }

    private void quiet(TocsinSide tocsin, AlertmanagerSide am) throws Exception {
        Samples page = new Samples();
        Samples opened = new Samples();
        Samples notified = new Samples();
        for (int i = 0; i < quietProbes; i++) {
            say("quiet probe %d/%d after %d s without input", i + 1, quietProbes, quietSeconds);
            Thread.sleep(TimeUnit.SECONDS.toMillis(quietSeconds));
            long p = nextProbe.getAndIncrement();
            tocsin.sendProbe(p);
            am.sendProbe(p);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            tocsinClock.await(p, deadline, ProbeClock.Answer.PAGE, ProbeClock.Answer.OPENED);
            amClock.await(p, deadline, ProbeClock.Answer.ALERTMANAGER);
            record(tocsinClock, ProbeClock.Answer.PAGE, p, page);
            record(tocsinClock, ProbeClock.Answer.OPENED, p, opened);
            record(amClock, ProbeClock.Answer.ALERTMANAGER, p, notified);
        }
        row("Tocsin", "after " + quietSeconds + " s quiet", "0", "page", page);
        row("Tocsin", "after " + quietSeconds + " s quiet", "0", "OPENED event", opened);
        row("Alertmanager", "after " + quietSeconds + " s quiet", "0", "notification", notified);
    }

    private static void record(ProbeClock c, ProbeClock.Answer a, long probe, Samples into) {
        double ms = c.latencyMs(a, probe);
        if (ms < 0) {
            into.missed();
        } else {
            into.add(ms);
        }
    }

    /**
     * The highest rate the job sustains: first an estimate from a flood (what the producer sent in
     * {@code floodSeconds}, over the time until a probe sent after it is paged: the job has then
     * read and processed everything before it), then held for {@code phaseSeconds} and lowered by a
     * fifth until the backlog does not grow. (Committed offsets are no measure here: under a flood
     * the checkpoint barriers queue behind the backlog, so offsets are seldom committed.)
     */
    private double sustainedTocsin(TocsinSide tocsin, LoadAlerts load) throws Exception {
        say(
                "Tocsin: flooding the alerts topic for %d s to estimate the sustained rate",
                floodSeconds);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong sent = new AtomicLong();
        Thread sender = new Thread(() -> sent.set(tocsin.sendLoad(load, 0, 0, running)), "flood");
        long start = System.nanoTime();
        sender.start();
        Thread.sleep(TimeUnit.SECONDS.toMillis(floodSeconds));
        running.set(false);
        sender.join();
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        long barrier = nextProbe.getAndIncrement();
        tocsin.sendProbe(barrier);
        if (!tocsinClock.await(
                barrier,
                System.nanoTime() + TimeUnit.MINUTES.toNanos(10),
                ProbeClock.Answer.PAGE)) {
            throw new IllegalStateException(
                    "the job did not page the probe after the flood within ten minutes; see "
                            + out);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = sent.get() / seconds;
        notes.add(
                String.format(
                        Locale.ROOT,
                        "Tocsin flood: %d alerts sent in %.1f s (%.0f/s offered); the probe sent"
                                + " after them was paged %.1f s after the flood began: %.0f"
                                + " alerts/s processed",
                        sent.get(),
                        sendSeconds,
                        sent.get() / sendSeconds,
                        seconds,
                        rate));
        say(
                "Tocsin processed %.0f alerts/s under the flood (offered %.0f/s)",
                rate, sent.get() / sendSeconds);
        drain(tocsin, tocsinClock);
        for (int attempt = 0; attempt < 8; attempt++) {
            double r = rate;
            say("  holding %.0f alerts/s for %d s", r, phaseSeconds);
            Samples page = new Samples();
            List<Double> trend = new ArrayList<>();
            double achieved =
                    phase(
                            on -> tocsin.sendLoad(load, r, 0, on),
                            tocsin::sendProbe,
                            1000,
                            tocsinClock,
                            new ProbeClock.Answer[] {ProbeClock.Answer.PAGE},
                            new Samples[] {page},
                            () -> {},
                            trend);
            drain(tocsin, tocsinClock);
            // A probe's latency is the backlog in time: the rate is sustained when the probes at
            // the end of the hold wait no longer (within a second) than those at its start.
            boolean held = !growing(trend);
            notes.add(
                    String.format(
                            Locale.ROOT,
                            "Tocsin held at %.0f alerts/s (%.0f achieved): %s (probe page p50 %s ms,"
                                    + " first third %s ms, last third %s ms)",
                            r,
                            achieved,
                            held ? "sustained" : "falling behind",
                            Samples.ms(page.percentile(0.5)),
                            Samples.ms(median(trend, 0, trend.size() / 3)),
                            Samples.ms(median(trend, trend.size() * 2 / 3, trend.size()))));
            if (held) {
                return achieved;
            }
            rate = r * 0.8;
        }
        throw new IllegalStateException("no sustained rate found; see " + out);
    }

    private void tocsinPhase(TocsinSide tocsin, LoadAlerts load, double fraction, double rate)
            throws Exception {
        double target = fraction * rate;
        Samples page = new Samples();
        Samples opened = new Samples();
        LagTrend trend = new LagTrend();
        List<Double> inOrder = new ArrayList<>();
        double achieved =
                phase(
                        running -> tocsin.sendLoad(load, target, 0, running),
                        tocsin::sendProbe,
                        probeEveryMs,
                        tocsinClock,
                        new ProbeClock.Answer[] {ProbeClock.Answer.PAGE, ProbeClock.Answer.OPENED},
                        new Samples[] {page, opened},
                        () -> trend.add(tocsin.lag()),
                        inOrder);
        String condition = pct(fraction) + " of sustained";
        String offered = String.format(Locale.ROOT, "%.0f", achieved);
        row("Tocsin", condition, offered, "page", page);
        row("Tocsin", condition, offered, "OPENED event", opened);
        notes.add(
                String.format(
                        Locale.ROOT,
                        "Tocsin at %s: %s; probe page p50 %s ms in the first third, %s ms in the"
                                + " last%s",
                        pct(fraction),
                        trend,
                        Samples.ms(median(inOrder, 0, inOrder.size() / 3)),
                        Samples.ms(median(inOrder, inOrder.size() * 2 / 3, inOrder.size())),
                        growing(inOrder) ? " (falling behind)" : ""));
        drain(tocsin, tocsinClock);
    }

    /** Alertmanager's API answers after it has taken the alerts in: its rate back to back. */
    private double sustainedAlertmanager(AlertmanagerSide am, LoadAlerts load) throws Exception {
        say("Alertmanager: posting back to back for %d s to find its sustained rate", floodSeconds);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong accepted = new AtomicLong();
        Thread sender =
                new Thread(
                        () -> {
                            try {
                                accepted.set(am.sendLoad(load, 0, 4, 0, running));
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "am-flood");
        long start = System.nanoTime();
        sender.start();
        Thread.sleep(TimeUnit.SECONDS.toMillis(floodSeconds));
        running.set(false);
        sender.join();
        double rate = accepted.get() / ((System.nanoTime() - start) / 1e9);
        notes.add(
                String.format(
                        Locale.ROOT,
                        "Alertmanager sustained rate: %.0f alerts/s accepted by its API (4 keep-alive"
                                + " clients, 64 per POST, back to back)",
                        rate));
        say("Alertmanager sustained %.0f alerts/s", rate);
        Thread.sleep(5000);
        return rate;
    }

    private void alertmanagerPhase(
            AlertmanagerSide am, LoadAlerts load, double fraction, double rate) throws Exception {
        double target = fraction * rate;
        Samples notified = new Samples();
        double achieved =
                phase(
                        running -> am.sendLoad(load, target, 4, 0, running),
                        am::sendProbe,
                        probeEveryMs,
                        amClock,
                        new ProbeClock.Answer[] {ProbeClock.Answer.ALERTMANAGER},
                        new Samples[] {notified},
                        () -> {},
                        new ArrayList<>());
        row(
                "Alertmanager",
                pct(fraction) + " of sustained",
                String.format(Locale.ROOT, "%.0f", achieved),
                "notification",
                notified);
        Thread.sleep(5000);
    }

    interface Load {
        long send(AtomicBoolean running) throws Exception;
    }

    interface Probe {
        void send(long probe) throws Exception;
    }

    interface Sampler {
        void sample() throws Exception;
    }

    /**
     * Runs the load for a phase while sending a probe every {@code probeEveryMs} (none when {@code
     * probe} is null) and sampling once a second, then waits for the last answers; returns the load
     * rate achieved.
     */
    private double phase(
            Load load,
            Probe probe,
            int everyMs,
            ProbeClock clock,
            ProbeClock.Answer[] answers,
            Samples[] into,
            Sampler sampler,
            List<Double> firstAnswerInOrder)
            throws Exception {
        say(
                "  phase: %d s of load%s",
                phaseSeconds, probe == null ? "" : ", a probe every " + probeEveryMs + " ms");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong sent = new AtomicLong();
        Thread sender =
                new Thread(
                        () -> {
                            try {
                                sent.set(load.send(running));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        "phase-load");
        long start = System.nanoTime();
        sender.start();
        Thread.sleep(3000); // the load is steady before the first probe
        List<Long> probes = new ArrayList<>();
        long end = start + TimeUnit.SECONDS.toNanos(phaseSeconds);
        long step = TimeUnit.MILLISECONDS.toNanos(everyMs);
        long nextSample = System.nanoTime();
        long next = System.nanoTime();
        while (System.nanoTime() < end) {
            long p = nextProbe.getAndIncrement();
            probe.send(p);
            probes.add(p);
            if (System.nanoTime() >= nextSample) {
                sampler.sample();
                nextSample += TimeUnit.SECONDS.toNanos(1);
            }
            next += step;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        running.set(false);
        sender.join();
        double achieved = sent.get() / ((System.nanoTime() - start) / 1e9);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (long p : probes) {
            clock.await(p, deadline, answers);
            for (int i = 0; i < answers.length; i++) {
                record(clock, answers[i], p, into[i]);
            }
            double first = clock.latencyMs(answers[0], p);
            firstAnswerInOrder.add(first < 0 ? 30_000.0 : first);
        }
        return achieved;
    }

    /**
     * Waits until the job has caught up: its committed offsets reach the end of the alerts topic
     * (at most two minutes), and then a barrier probe, not counted, is paged (at most five: the
     * correlator may still be placing a burst of new alerts read earlier).
     */
    private void drain(TocsinSide tocsin, ProbeClock clock) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        long lag;
        while ((lag = tocsin.lag()) > 200 && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        if (lag > 200) {
            notes.add("the job had not caught up two minutes after a load (lag " + lag + ")");
        }
        long barrier = nextProbe.getAndIncrement();
        tocsin.sendProbe(barrier);
        if (!clock.await(
                barrier, System.nanoTime() + TimeUnit.MINUTES.toNanos(5), ProbeClock.Answer.PAGE)) {
            throw new IllegalStateException(
                    "the job did not page a barrier probe within five minutes; see " + out);
        }
        Thread.sleep(3000); // a moment of quiet
    }

    private static double median(List<Double> xs, int from, int to) {
        if (to <= from) {
            return Double.NaN;
        }
        List<Double> part = new ArrayList<>(xs.subList(from, to));
        part.sort(null);
        return part.get(part.size() / 2);
    }

    /** The last third of the probes waited more than a second longer than the first third. */
    private static boolean growing(List<Double> inOrder) {
        return inOrder.size() >= 6
                && median(inOrder, inOrder.size() * 2 / 3, inOrder.size())
                        > median(inOrder, 0, inOrder.size() / 3) + 1000;
    }

    private void row(String system, String condition, String offered, String answer, Samples s) {
        rows.add(
                "| " + system + " | " + condition + " | " + offered + " | " + answer + " | "
                        + s.cells() + " |");
    }

    private static String pct(double f) {
        return String.format(Locale.ROOT, "%.0f%%", f * 100);
    }

    private String report() {
        StringBuilder b = new StringBuilder();
        b.append(
                String.format(
                        Locale.ROOT,
                        "run: %s, %s mode, %d cores; job parallelism %d, %d active alerts as load, Kafka %s%n%n",
                        Instant.now().truncatedTo(ChronoUnit.SECONDS),
                        mode,
                        Runtime.getRuntime().availableProcessors(),
                        parallelism,
                        active,
                        kafka));
        b.append(
                "| system | condition | load (alerts/s) | answer | p50 ms | p99 ms | p99.9 ms | max ms |"
                        + " probes | missing |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (String r : rows) {
            b.append(r).append('\n');
        }
        b.append('\n');
        for (String n : notes) {
            b.append("- ").append(n).append('\n');
        }
        return b.toString();
    }

    private static void say(String format, Object... args) {
        System.out.println("bench latency: " + String.format(Locale.ROOT, format, args));
    }
}
