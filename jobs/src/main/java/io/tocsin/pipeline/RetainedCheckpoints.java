package io.tocsin.pipeline;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The checkpoints a live job left in its checkpoint directory ({@code <dir>/<job id>/chk-<n>} with
 * a {@code _metadata} file once complete), read through Flink's file systems so the same code works
 * for a local directory, s3:// or hdfs://. A start resumes from the newest complete one, whichever
 * job run wrote it.
 */
public final class RetainedCheckpoints {

    private final URI dir;

    public RetainedCheckpoints(URI dir) {
        this.dir = dir;
    }

    /** One complete checkpoint. */
    public record Checkpoint(String path, String jobDir, long id, long writtenAtMillis) {}

    /** Every complete checkpoint under the directory; empty if it does not exist. */
    public List<Checkpoint> list() throws IOException {
        Path root = new Path(dir);
        FileSystem fs = root.getFileSystem();
        List<Checkpoint> found = new ArrayList<>();
        if (!fs.exists(root)) {
            return found;
        }
        for (FileStatus job : orEmpty(fs.listStatus(root))) {
            if (!job.isDir()) {
                continue;
            }
            for (FileStatus chk : orEmpty(fs.listStatus(job.getPath()))) {
                String name = chk.getPath().getName();
                if (!chk.isDir() || !name.startsWith("chk-")) {
                    continue;
                }
                Path metadata = new Path(chk.getPath(), "_metadata");
                if (!fs.exists(metadata)) {
                    continue; // in progress, or abandoned half-way
                }
                long id;
                try {
                    id = Long.parseLong(name.substring(4));
                } catch (NumberFormatException e) {
                    continue;
                }
                found.add(
                        new Checkpoint(
                                chk.getPath().toString(),
                                job.getPath().toString(),
                                id,
                                fs.getFileStatus(metadata).getModificationTime()));
            }
        }
        return found;
    }

    /** The newest complete checkpoint (by when it was written, then by id). */
    public Optional<Checkpoint> latest() throws IOException {
        return list().stream()
                .max(
                        Comparator.comparingLong(Checkpoint::writtenAtMillis)
                                .thenComparingLong(Checkpoint::id));
    }

    /**
     * Deletes the directories of earlier job runs whose checkpoints are all older than {@code
     * keep}. Safe once the run that restored from them has completed a checkpoint of its own: a
     * restore does not claim the snapshot it starts from, so that run's first checkpoint is a full
     * one and nothing newer refers to the older files.
     *
     * @return the job directories deleted
     */
    public List<String> deleteRunsOlderThan(Checkpoint keep) throws IOException {
        List<String> deleted = new ArrayList<>();
        Path root = new Path(dir);
        FileSystem fs = root.getFileSystem();
        for (String jobDir :
                list().stream()
                        .map(Checkpoint::jobDir)
                        .filter(d -> !d.equals(keep.jobDir()))
                        .distinct()
                        .toList()) {
            boolean allOlder =
                    list().stream()
                            .filter(c -> c.jobDir().equals(jobDir))
                            .allMatch(c -> c.writtenAtMillis() < keep.writtenAtMillis());
            if (allOlder && fs.delete(new Path(jobDir), true)) {
                deleted.add(jobDir);
            }
        }
        return deleted;
    }

    private static FileStatus[] orEmpty(FileStatus[] s) {
        return s == null ? new FileStatus[0] : s;
    }
}
