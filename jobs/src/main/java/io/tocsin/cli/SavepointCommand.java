package io.tocsin.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tocsin savepoint}: takes a savepoint of the running live job through Flink's REST API (the
 * local {@code tocsin run}, found by its run file, or any cluster given by URL), for an upgrade or
 * a change of parallelism: start the new version with {@code tocsin run --from-savepoint PATH}.
 */
@Command(
        name = "savepoint",
        header = "take a savepoint of the running live job (upgrades, rescaling)",
        sortOptions = false,
        description = {
            "Takes a savepoint (canonical format, portable across state backends) of the running",
            "live job and prints its path. Start the upgraded job from it with",
            "  tocsin run --from-savepoint PATH [--parallelism N]",
            ""
        })
final class SavepointCommand implements Callable<Integer> {

    @Mixin HelpOption help;

    @Spec CommandSpec spec;

    @Option(
            names = "--group-id",
            paramLabel = "ID",
            defaultValue = "tocsin",
            description =
                    "the local `tocsin run` of this consumer group (default ${DEFAULT-VALUE})")
    String groupId;

    @Option(
            names = "--rest",
            paramLabel = "URL",
            description = "a Flink REST endpoint instead (e.g. a cluster's http://host:8081)")
    String rest;

    @Option(names = "--job", paramLabel = "JOB_ID", description = "the job there")
    String job;

    @Option(
            names = "--dir",
            paramLabel = "URI",
            description = "where to write it (default: the job's savepoint directory)")
    String dir;

    @Option(names = "--stop", description = "stop the job once the savepoint is taken (an upgrade)")
    boolean stop;

    private final PrintStream out;

    SavepointCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        String rest = this.rest;
        String job = this.job;
        String localSavepoints = null;
        if (rest == null || job == null) {
            if (rest != null || job != null) {
                throw new ParameterException(spec.commandLine(), "--rest and --job go together");
            }
            RunFile f;
            try {
                f = RunFile.read(groupId);
            } catch (NoSuchFileException e) {
                throw new ParameterException(
                        spec.commandLine(),
                        "no running job for group '"
                                + groupId
                                + "' ("
                                + e.getFile()
                                + " is missing): give --rest URL and --job ID");
            }
            rest = f.rest();
            job = f.jobId();
            localSavepoints = dir != null ? dir : f.savepointDir();
        }
        long started = System.currentTimeMillis();
        URI u = URI.create(rest);
        Configuration conf = new Configuration();
        conf.set(RestOptions.ADDRESS, u.getHost());
        conf.set(RestOptions.PORT, u.getPort() < 0 ? 8081 : u.getPort());
        JobID id = JobID.fromHexString(job);
        String path;
        try (RestClusterClient<StandaloneClusterId> client =
                new RestClusterClient<>(conf, StandaloneClusterId.getInstance())) {
            path =
                    (stop
                                    ? client.stopWithSavepoint(
                                            id, false, dir, SavepointFormatType.CANONICAL)
                                    : client.triggerSavepoint(
                                            id, dir, SavepointFormatType.CANONICAL))
                            .get(10, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            // A local `tocsin run` runs its job on a per-job MiniCluster, which shuts down (REST
            // and all) as soon as the job is stopped, often before the answer to the stop request
            // is fetched. The savepoint is complete by then: find it on disk.
            Optional<Path> written =
                    stop && localSavepoints != null
                            ? completedSince(localSavepoints, id, started - 1000)
                            : Optional.empty();
            if (written.isEmpty()) {
                throw e;
            }
            path = written.get().toUri().toString();
        }
        out.println(path);
        return 0;
    }

    /**
     * The savepoint of job {@code id} completed (its {@code _metadata} written) under {@code dir}
     * since {@code sinceMillis}. Flink names a savepoint directory {@code savepoint-} followed by
     * the first six hex digits of the job id.
     */
    static Optional<Path> completedSince(String dir, JobID id, long sinceMillis)
            throws IOException {
        URI u = URI.create(dir);
        Path root = u.getScheme() == null ? Path.of(dir) : Path.of(u);
        String prefix = "savepoint-" + id.toHexString().substring(0, 6) + "-";
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
                    .filter(p -> modified(p.resolve("_metadata")) >= sinceMillis)
                    .max(Comparator.comparingLong(p -> modified(p.resolve("_metadata"))));
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return Long.MIN_VALUE;
        }
    }
}
