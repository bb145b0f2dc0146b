package io.tocsin.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * What a running {@code tocsin run} tells the other commands (savepoint): its Flink REST address,
 * job id and savepoint directory, in {@code .local/run/run-GROUP.properties}.
 */
record RunFile(String rest, String jobId, String groupId, long pid, String savepointDir) {

    static Path pathFor(String groupId) {
        return LocalDirs.run().resolve("run-" + groupId + ".properties");
    }

    Path write() throws IOException {
        Path p = pathFor(groupId);
        Files.createDirectories(p.getParent());
        Properties props = new Properties();
        props.setProperty("rest", rest);
        props.setProperty("job", jobId);
        props.setProperty("group", groupId);
        props.setProperty("pid", Long.toString(pid));
        props.setProperty("savepoints", savepointDir);
        Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            props.store(w, "tocsin run");
        }
        Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return p;
    }

    /** The run file of {@code groupId}'s local job; NoSuchFileException when none runs. */
    static RunFile read(String groupId) throws IOException {
        Path p = pathFor(groupId);
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            props.load(r);
        }
        return new RunFile(
                props.getProperty("rest"),
                props.getProperty("job"),
                props.getProperty("group"),
                Long.parseLong(props.getProperty("pid", "0")),
                props.getProperty("savepoints"));
    }
}
