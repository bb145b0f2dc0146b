package io.tocsin.sink;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Backtest output: each subtask appends "sort key TAB line" to its own part file, and once the job
 * has finished {@link #finish} merges the parts into one file sorted by key. Sorting at the end is
 * what makes the file identical byte for byte whatever the parallelism. Local file system only: the
 * backtest runs on the local MiniCluster.
 */
public final class SortedLinesSink<T> implements Sink<T> {

    /** Renders one record: its sort key (no tabs or newlines) and its line. */
    public interface Renderer<T> extends Serializable {
        String sortKey(T value);

        String line(T value);
    }

    private static final long serialVersionUID = 1L;

    private final String partsDir;
    private final String name;
    private final Renderer<T> renderer;

    public SortedLinesSink(Path outDir, String name, Renderer<T> renderer) {
        this.partsDir = partsDir(outDir).toString();
        this.name = name;
        this.renderer = renderer;
    }

    private static Path partsDir(Path outDir) {
        return outDir.resolve(".parts");
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        Path dir = Path.of(partsDir);
        Files.createDirectories(dir);
        Path part =
                dir.resolve(name + "-" + context.getTaskInfo().getIndexOfThisSubtask() + ".part");
        BufferedWriter w =
                Files.newBufferedWriter(
                        part,
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE);
        return new SinkWriter<>() {
            @Override
            public void write(T value, Context ctx) throws IOException {
                w.write(renderer.sortKey(value));
                w.write('\t');
                w.write(renderer.line(value));
                w.write('\n');
            }

            @Override
            public void flush(boolean endOfInput) throws IOException {
                w.flush();
            }

            @Override
            public void close() throws IOException {
                w.close();
            }
        };
    }

    /**
     * Merges the part files of {@code name} into {@code outDir/name}, sorted by key, and deletes
     * the parts. Call after the job has finished.
     */
    public static long finish(Path outDir, String name) {
        Path dir = partsDir(outDir);
        List<String> keyed = new ArrayList<>();
        try {
            if (Files.isDirectory(dir)) {
                try (DirectoryStream<Path> parts =
                        Files.newDirectoryStream(dir, name + "-*.part")) {
                    for (Path p : parts) {
                        keyed.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
                        Files.delete(p);
                    }
                }
            }
            keyed.sort(null);
            try (BufferedWriter w =
                    Files.newBufferedWriter(outDir.resolve(name), StandardCharsets.UTF_8)) {
                for (String k : keyed) {
                    w.write(k, k.indexOf('\t') + 1, k.length() - k.indexOf('\t') - 1);
                    w.write('\n');
                }
            }
            if (Files.isDirectory(dir)) {
                try (DirectoryStream<Path> rest = Files.newDirectoryStream(dir)) {
                    if (!rest.iterator().hasNext()) {
                        Files.delete(dir);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return keyed.size();
    }
}
