package io.tocsin.cli;

import java.util.Arrays;

/**
 * Entry class of the job jar on a Flink cluster ({@code ./tocsin cluster submit}, or {@code flink
 * run -c io.tocsin.cli.ClusterJob}): the same commands as {@link Main}, but it never calls {@code
 * System.exit}, since on a session cluster {@code main} runs inside the JobManager's JVM. A failing
 * command fails the submission instead.
 */
public final class ClusterJob {

    private ClusterJob() {}

    public static void main(String[] args) throws Exception {
        int rc = Main.run(Arrays.asList(args), System.out, System.err);
        if (rc != 0) {
            throw new IllegalArgumentException(
                    "tocsin " + String.join(" ", args) + " failed with exit code " + rc);
        }
    }
}
