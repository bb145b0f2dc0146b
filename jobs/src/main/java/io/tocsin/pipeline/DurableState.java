package io.tocsin.pipeline;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;

/**
 * How the live job keeps its state across crashes and upgrades: the state backend (RocksDB with
 * incremental checkpoints by default), where checkpoints and savepoints go (any Flink file system
 * URI: a directory under .local/ locally, s3:// or hdfs:// in production), how many are retained,
 * and what the job restores from when it starts.
 *
 * @param checkpointDir checkpoints are written under {@code checkpointDir/<job id>/chk-<n>}
 * @param savepointDir default target of {@code tocsin savepoint}
 * @param interval checkpoint interval: at most this much input is replayed after a crash
 * @param retained checkpoints kept per job (older ones are deleted by Flink)
 * @param backend {@code rocksdb} or {@code hashmap}
 * @param restoreFrom a checkpoint or savepoint to start from, or null for empty state
 * @param allowNonRestoredState start even if the snapshot holds state of an operator the job no
 *     longer has (an upgrade that removed one)
 */
public record DurableState(
        URI checkpointDir,
        URI savepointDir,
        Duration interval,
        int retained,
        String backend,
        String restoreFrom,
        boolean allowNonRestoredState) {

    public static final String ROCKSDB = "rocksdb";
    public static final String HASHMAP = "hashmap";

    public DurableState {
        String b = backend.toLowerCase(Locale.ROOT);
        if (!b.equals(ROCKSDB) && !b.equals(HASHMAP)) {
            throw new IllegalArgumentException(
                    "state backend '" + backend + "' is neither rocksdb nor hashmap");
        }
        backend = b;
        if (retained < 1) {
            throw new IllegalArgumentException("retained checkpoints must be at least 1");
        }
    }

    /** The same, starting from {@code path} (null: empty state). */
    public DurableState restoringFrom(String path) {
        return new DurableState(
                checkpointDir,
                savepointDir,
                interval,
                retained,
                backend,
                path,
                allowNonRestoredState);
    }

    /** Flink configuration for a job (or a local cluster) that uses this state. */
    public Configuration toConfiguration() {
        Configuration c = new Configuration();
        c.set(StateBackendOptions.STATE_BACKEND, backend);
        c.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, backend.equals(ROCKSDB));
        c.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir.toString());
        c.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, savepointDir.toString());
        c.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, retained);
        // A killed or cancelled job leaves its checkpoints for the next start to resume from.
        c.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        if (restoreFrom != null) {
            c.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
            c.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, allowNonRestoredState);
        }
        return c;
    }
}
