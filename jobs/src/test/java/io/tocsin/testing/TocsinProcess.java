package io.tocsin.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The job as users run it: {@code java -jar tocsin-jobs.jar run ...} in an OS process of its own
 * (the shaded jar the build has just packaged), which a test can kill with SIGKILL and start again.
 * Its console goes to a log file that accumulates over restarts.
 */
public final class TocsinProcess {

    private final List<String> args;
    private final Path home;
    private final Path log;
    private Process process;
    private int starts;

    /**
     * @param home TOCSIN_HOME of the process (its .local/ with run files and logs)
     * @param args the command's arguments, e.g. run --kafka ...
     */
    public TocsinProcess(Path home, List<String> args) throws IOException {
        this.home = home;
        this.args = List.copyOf(args);
        Files.createDirectories(home.resolve(".local/logs"));
        this.log = home.resolve("console.log");
    }

    public static Path jar() {
        Path jar = LocalClickHouse.projectRoot().resolve("jobs/target/tocsin-jobs.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing: integration tests run after package");
        }
        return jar;
    }

    /** Runs a one-shot command (e.g. savepoint) with the same home and returns its output. */
    public String runOnce(List<String> commandArgs, Duration timeout) throws Exception {
        List<String> cmd = javaCommand();
        cmd.addAll(commandArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TOCSIN_HOME", home.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", commandArgs) + " failed:\n" + out);
        }
        return out;
    }

    private List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens")) {
                cmd.add(a);
            }
        }
        cmd.addAll(
                List.of(
                        "-Xmx640m",
                        "-XX:+UseSerialGC",
                        "-Dlog4j.configurationFile=log4j2-cli.properties",
                        "-Dtocsin.logdir=" + home.resolve(".local/logs"),
                        "-jar",
                        jar().toString()));
        return cmd;
    }

    /** Starts the process and waits until it prints that the job is running. */
    public void start(Duration timeout) throws Exception {
        start(args, timeout);
    }

    /** Starts the process with other arguments (e.g. an upgrade from a savepoint). */
    public void start(List<String> withArgs, Duration timeout) throws Exception {
        List<String> cmd = javaCommand();
        cmd.addAll(withArgs);
        ProcessBuilder pb =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("TOCSIN_HOME", home.toString());
        long before = Files.exists(log) ? Files.size(log) : 0;
        Files.writeString(
                log,
                "---- start " + (++starts) + "\n",
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        process = pb.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String out = Files.readString(log, StandardCharsets.UTF_8).substring((int) before);
            if (out.contains("run: job ") && out.contains(" running")) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("tocsin run exited:\n" + tail());
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("tocsin run did not start in " + timeout + ":\n" + tail());
    }

    /** SIGKILL, as a crash or an OOM killer would: no shutdown hook, no final checkpoint. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public int starts() {
        return starts;
    }

    public String tail() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    public String console() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
