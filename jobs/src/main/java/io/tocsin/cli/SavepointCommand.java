package io.tocsin.cli;

import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.SavepointFormatType;

/**
 * {@code tocsin savepoint}: takes a savepoint of the running live job through Flink's REST API (the
 * local {@code tocsin run}, found by its run file, or any cluster given by URL), for an upgrade or
 * a change of parallelism: start the new version with {@code tocsin run --from-savepoint PATH}.
 */
final class SavepointCommand {

    static final String USAGE =
            """
            Usage: tocsin savepoint [--group-id ID | --rest URL --job JOB_ID] [--dir URI] [--stop]

            Takes a savepoint (canonical format, portable across state backends) of the running
            live job and prints its path. Start the upgraded job from it with
              tocsin run --from-savepoint PATH [--parallelism N]
              --group-id ID   the local `tocsin run` of this consumer group (default tocsin)
              --rest URL      a Flink REST endpoint instead (e.g. a cluster's http://host:8081)
              --job JOB_ID    the job there
              --dir URI       where to write it (default: the job's savepoint directory)
              --stop          stop the job once the savepoint is taken (an upgrade)
            """;

    private SavepointCommand() {}

    static int run(List<String> argv, PrintStream out) throws Exception {
        Args a =
                Args.parse(
                        "savepoint",
                        argv,
                        Set.of("group-id", "rest", "job", "dir"),
                        Set.of("stop"));
        if (a.help()) {
            out.print(USAGE);
            return 0;
        }
        String rest = a.get("rest", null);
        String job = a.get("job", null);
        String dir = a.get("dir", null);
        String localSavepoints = null;
        if (rest == null || job == null) {
            if (rest != null || job != null) {
                throw new Args.UsageException("savepoint: --rest and --job go together");
            }
            RunFile f = RunFile.read(a.get("group-id", "tocsin"));
            rest = f.rest();
            job = f.jobId();
            localSavepoints = dir != null ? dir : f.savepointDir();
        }
        long started = System.currentTimeMillis();
        URI u = URI.create(rest);
        Configuration conf = new Configuration();
        conf.set(RestOptions.ADDRESS, u.getHost());
        conf.set(RestOptions.PORT, u.getPort() < 0 ? 8081 : u.getPort());
        try (RestClusterClient<StandaloneClusterId> client =
                new RestClusterClient<>(conf, StandaloneClusterId.getInstance())) {
            JobID id = JobID.fromHexString(job);
            String path =
                    (a.flag("stop")
                                    ? client.stopWithSavepoint(
                                            id, false, dir, SavepointFormatType.CANONICAL)
                                    : client.triggerSavepoint(
                                            id, dir, SavepointFormatType.CANONICAL))
                            .get(10, TimeUnit.MINUTES);
            out.println(path);
        }
        return 0;
    }
}
