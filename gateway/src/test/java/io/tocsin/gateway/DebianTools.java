package io.tocsin.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds and runs the real Prometheus tools from Debian's packages (prometheus,
 * prometheus-alertmanager); {@code ./tocsin test} installs them when missing.
 */
final class DebianTools {

    private DebianTools() {}

    /** The executable on PATH (or /usr/bin), or null. */
    static Path find(String name) {
        List<String> dirs =
                new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.add("/usr/bin");
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** The exit code and output (stdout and stderr) of a command run to its end. */
    record Result(int exit, String output) {}

    static Result run(List<String> command, long timeoutSeconds)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out;
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out after " + timeoutSeconds + "s: " + command);
        }
        out = p.getInputStream().readAllBytes();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static int freePort() {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
