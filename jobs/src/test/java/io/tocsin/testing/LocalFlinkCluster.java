package io.tocsin.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The project's local Flink session cluster ({@code deploy/cluster/cluster.sh}: a JobManager and
 * TaskManagers, separate JVMs run from Flink's jars on Maven Central) on free ports with its own
 * directories, as {@code ./tocsin cluster up} starts it. Flink's jars are resolved once into the
 * checkout's .local/ and shared.
 */
public final class LocalFlinkCluster implements BeforeAllCallback, AfterAllCallback {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SUBMITTED = Pattern.compile("submitted job ([0-9a-f]{32})");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path localDir;
    private int restPort;
    private Map<String, String> env;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        localDir = Files.createTempDirectory("tocsin-cluster-");
        restPort = LocalKafkaBroker.freePort();
        List<String> metrics = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            metrics.add(Integer.toString(LocalKafkaBroker.freePort()));
        }
        env = new HashMap<>();
        env.put("TOCSIN_HOME", LocalClickHouse.projectRoot().toString());
        env.put("TOCSIN_LOCAL_DIR", localDir.toString());
        env.put(
                "TOCSIN_CLUSTER_LIBS",
                LocalClickHouse.projectRoot().resolve(".local/cluster/libs").toString());
        env.put("TOCSIN_CLUSTER_REST_PORT", Integer.toString(restPort));
        env.put("TOCSIN_CLUSTER_RPC_PORT", Integer.toString(LocalKafkaBroker.freePort()));
        env.put("TOCSIN_CLUSTER_METRICS_PORTS", String.join(",", metrics));
        sh(Duration.ofMinutes(5), "up");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (env != null) {
            sh(Duration.ofMinutes(2), "down");
        }
    }

    public String rest() {
        return "http://127.0.0.1:" + restPort;
    }

    /** The runtime directory (.local/ of the cluster: run files, logs, state). */
    public Path localDir() {
        return localDir;
    }

    /**
     * {@code cluster.sh submit --parallelism N [submitOptions] -- runArgs}: the job id. The job
     * runs once every task of it runs ({@link #awaitAllRunning}).
     */
    public String submit(int parallelism, List<String> submitOptions, List<String> runArgs)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("submit", "--parallelism", "" + parallelism));
        args.addAll(submitOptions);
        args.add("--");
        args.addAll(runArgs);
        String out = sh(Duration.ofMinutes(3), args.toArray(String[]::new));
        Matcher m = SUBMITTED.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no job id in:\n" + out);
        }
        return m.group(1);
    }

    /** {@code cluster.sh cancel JOB} */
    public String cancel(String jobId) throws Exception {
        return sh(Duration.ofMinutes(2), "cancel", jobId);
    }

    /** {@code cluster.sh start-taskmanager}: returns once its slots are registered. */
    public String startTaskManager() throws Exception {
        return sh(Duration.ofMinutes(3), "start-taskmanager");
    }

    /** The pid of TaskManager {@code n} (1, 2, ...) from its pid file. */
    public long taskManagerPid(int n) throws Exception {
        return Long.parseLong(
                Files.readString(localDir.resolve("run/flink-taskmanager-" + n + ".pid")).trim());
    }

    /** GET on the REST API, parsed. */
    public JsonNode get(String path) throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(rest() + path))
                                .timeout(Duration.ofSeconds(20))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** True when the job is RUNNING and so is every one of its tasks. */
    public boolean allRunning(String jobId) throws Exception {
        JsonNode job = get("/jobs/" + jobId);
        if (!job.path("state").asText().equals("RUNNING")) {
            return false;
        }
        for (JsonNode v : job.path("vertices")) {
            if (!v.path("status").asText().equals("RUNNING")) {
                return false;
            }
        }
        return true;
    }

    public void awaitAllRunning(String jobId, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!allRunning(jobId)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "job "
                                + jobId
                                + " not running after "
                                + timeout
                                + ": "
                                + get("/jobs/" + jobId));
            }
            Thread.sleep(200);
        }
    }

    /**
     * The resource id of the TaskManager running subtask {@code subtask} of the job's vertex whose
     * name starts with {@code vertexPrefix}.
     */
    public String taskManagerOf(String jobId, String vertexPrefix, int subtask) throws Exception {
        for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
            if (v.path("name").asText().startsWith(vertexPrefix)) {
                JsonNode s =
                        get("/jobs/" + jobId + "/vertices/" + v.path("id").asText())
                                .path("subtasks")
                                .get(subtask);
                return s.path("taskmanager-id").asText();
            }
        }
        throw new IllegalStateException("no vertex " + vertexPrefix + " in job " + jobId);
    }

    public String sh(Duration timeout, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("bash");
        cmd.add(LocalClickHouse.projectRoot().resolve("deploy/cluster/cluster.sh").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("cluster.sh " + String.join(" ", args) + ":\n" + out);
        }
        return out;
    }
}
