package io.tocsin.bench.latency;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The live job as users run it: {@code ./tocsin run} in a process of its own, its console copied to
 * a file; started when it says its job is running.
 */
final class JobProcess implements AutoCloseable {

    private final Process process;
    private final Path console;

    JobProcess(List<String> command, Path console) throws IOException, InterruptedException {
        this.console = console;
        Files.createDirectories(console.getParent());
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CountDownLatch running = new CountDownLatch(1);
        Thread copier =
                new Thread(
                        () -> {
                            try (BufferedReader in =
                                            new BufferedReader(
                                                    new InputStreamReader(
                                                            process.getInputStream(),
                                                            StandardCharsets.UTF_8));
                                    PrintWriter out =
                                            new PrintWriter(
                                                    Files.newBufferedWriter(console), true)) {
                                String line;
                                while ((line = in.readLine()) != null) {
                                    out.println(line);
                                    if (line.startsWith("run: job ") && line.contains(" running")) {
                                        running.countDown();
                                    }
                                }
                            } catch (IOException e) {
                                // the process ended
                            }
                        },
                        "job-console");
        copier.setDaemon(true);
        copier.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!running.await(200, TimeUnit.MILLISECONDS)
                && process.isAlive()
                && System.nanoTime() < deadline) {
            // starting: building the jar the first time, then Flink
        }
        if (running.getCount() > 0 || !process.isAlive()) {
            close();
            throw new IllegalStateException(
                    "tocsin run did not start; its console:\n" + Files.readString(console));
        }
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        // ./tocsin run execs java, so this is the job's JVM: stop it as an operator would.
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
