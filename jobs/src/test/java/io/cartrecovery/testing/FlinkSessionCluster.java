package io.cartrecovery.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.cartrecovery.events.ClickEventJson;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * A real standalone Flink session cluster on this machine: one JobManager and some TaskManagers,
 * each a JVM process of its own, started from Flink's Maven artifacts (module local-flink writes
 * their classpath) the way a distribution's {@code bin/jobmanager.sh} and {@code
 * bin/taskmanager.sh} start them. Spoken to through its REST API, as an operator's tools would.
 */
public final class FlinkSessionCluster implements AutoCloseable {
    private static final String JOB_MANAGER =
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TASK_MANAGER =
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    /**
     * What the distribution's config.yaml sets as {@code env.java.opts.all} for Java 17, and its
     * bin scripts pass to every process: Flink reaches into JDK internals, e.g. when it translates
     * a job graph.
     */
    private static final String JAVA_17_OPTS =
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED"
                    + " --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED"
                    + " --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED"
                    + " --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED"
                    + " --add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED"
                    + " --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED"
                    + " --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED"
                    + " --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED"
                    + " --add-opens=java.base/java.lang=ALL-UNNAMED"
                    + " --add-opens=java.base/java.net=ALL-UNNAMED"
                    + " --add-opens=java.base/java.io=ALL-UNNAMED"
                    + " --add-opens=java.base/java.nio=ALL-UNNAMED"
                    + " --add-opens=java.base/sun.nio.ch=ALL-UNNAMED"
                    + " --add-opens=java.base/java.lang.reflect=ALL-UNNAMED"
                    + " --add-opens=java.base/java.text=ALL-UNNAMED"
                    + " --add-opens=java.base/java.time=ALL-UNNAMED"
                    + " --add-opens=java.base/java.util=ALL-UNNAMED"
                    + " --add-opens=java.base/java.util.concurrent=ALL-UNNAMED"
                    + " --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED"
                    + " --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED";

    /**
     * Logging of every process; each one's output goes to {@code <name>.log} in the cluster's
     * folder.
     */
    private static final String LOG4J =
            String.join(
                    "\n",
                    "rootLogger.level = INFO",
                    "rootLogger.appenderRef.console.ref = console",
                    "appender.console.type = Console",
                    "appender.console.name = console",
                    "appender.console.layout.type = PatternLayout",
                    "appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n",
                    "logger.kafka.name = org.apache.kafka",
                    "logger.kafka.level = WARN",
                    "");

    private final Path dir;
    private final URI rest;
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Process> taskManagers = new LinkedHashMap<>();
    private final Set<Process> killed = new HashSet<>();
    private final Map<String, Integer> rpcPorts = new LinkedHashMap<>();
    private String classpath;
    private Configuration config;
    private Process jobManager;
    private int jobManagers;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private FlinkSessionCluster(Path dir, int restPort) {
        this.dir = dir;
        this.rest = URI.create("http://localhost:" + restPort);
    }

    /**
     * Starts the cluster and returns once the JobManager has registered every TaskManager.
     *
     * @param classpathFile the classpath written by the local-flink module's build
     * @param dir configuration, logs and temporary files of all processes
     */
    public static FlinkSessionCluster start(Path classpathFile, Path dir, int taskManagers)
            throws Exception {
        return start(classpathFile, dir, taskManagers, Map.of());
    }

    /**
     * As {@link #start(Path, Path, int)}, with settings of the test's own over the cluster's (e.g.
     * high availability).
     */
    public static FlinkSessionCluster start(
            Path classpathFile, Path dir, int taskManagers, Map<String, String> settings)
            throws Exception {
        String classpath = Files.readString(classpathFile).strip();
        Path confDir = Files.createDirectories(dir.resolve("conf"));
        Configuration config = configuration(dir);
        config.addAll(Configuration.fromMap(settings));
        Files.writeString(confDir.resolve("config.yaml"), yaml(config));
        Files.writeString(confDir.resolve("log4j.properties"), LOG4J);
        FlinkSessionCluster cluster = new FlinkSessionCluster(dir, config.get(RestOptions.PORT));
        cluster.classpath = classpath;
        cluster.config = config;
        try {
            cluster.launchJobManager();
            for (int i = 1; i <= taskManagers; i++) {
                cluster.launchTaskManager();
            }
            cluster.awaitTaskManagers(taskManagers);
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * Small memory for a shared build machine; free ports, so parallel builds do not collide; all
     * files under {@code dir}.
     */
    private static Configuration configuration(Path dir) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("jobmanager.rpc.address", "localhost");
        settings.put("jobmanager.rpc.port", String.valueOf(freePort()));
        settings.put("jobmanager.bind-host", "localhost");
        settings.put("taskmanager.host", "localhost");
        settings.put("taskmanager.bind-host", "localhost");
        settings.put("rest.address", "localhost");
        settings.put("rest.bind-address", "localhost");
        settings.put("rest.port", String.valueOf(freePort()));
        // One slot per TaskManager: a job at parallelism 2 has to use two of them.
        settings.put("taskmanager.numberOfTaskSlots", "1");
        settings.put("jobmanager.memory.process.size", "768m");
        // A killed TaskManager is noticed within seconds (its heartbeats fail at once), not after
        // Flink's default 50 s; a job restarts a second after a failure, as often as it takes.
        settings.put("heartbeat.interval", "1000");
        settings.put("heartbeat.timeout", "20000");
        settings.put("heartbeat.rpc-failure-threshold", "2");
        settings.put("restart-strategy.type", "fixed-delay");
        settings.put("restart-strategy.fixed-delay.attempts", "1000");
        settings.put("restart-strategy.fixed-delay.delay", "1s");
        settings.put("taskmanager.memory.framework.heap.size", "64m");
        settings.put("taskmanager.memory.task.heap.size", "192m");
        settings.put("taskmanager.memory.managed.size", "32m");
        settings.put("taskmanager.memory.network.min", "32m");
        settings.put("taskmanager.memory.network.max", "32m");
        // A cluster names its durable checkpoint directory; `run` refuses to start without one.
        settings.put(
                "execution.checkpointing.dir",
                Files.createDirectories(dir.resolve("checkpoints")).toUri().toString());
        settings.put("io.tmp.dirs", Files.createDirectories(dir.resolve("tmp")).toString());
        settings.put("web.tmpdir", Files.createDirectories(dir.resolve("web")).toString());
        return Configuration.fromMap(settings);
    }

    /** Flink 2 reads {@code config.yaml}, standard YAML; flat dotted keys are allowed. */
    private static String yaml(Configuration config) throws IOException {
        return new YAMLMapper().writeValueAsString(config.toMap());
    }

    /**
     * Starts a JobManager process: the first, or the next after {@link #killJobManager} (as a
     * supervisor would; with high availability it takes over the jobs of the one before).
     */
    public void launchJobManager() throws IOException {
        JobManagerProcessSpec spec = JobManagerProcessUtils.processSpecFromConfig(config);
        jobManagers++;
        jobManager =
                launch(
                        jobManagers == 1 ? "jobmanager" : "jobmanager-" + jobManagers,
                        classpath,
                        JobManagerProcessUtils.generateJvmParametersStr(spec, config),
                        JOB_MANAGER,
                        JobManagerProcessUtils.generateDynamicConfigsStr(spec));
    }

    /** Kills the JobManager process at once (SIGKILL: no shutdown, as a crashed machine). */
    public void killJobManager() throws InterruptedException {
        killed.add(jobManager);
        jobManager.destroyForcibly();
        jobManager.waitFor(30, TimeUnit.SECONDS);
    }

    /** Starts one more TaskManager process (as a supervisor replaces one that died). */
    public String launchTaskManager() throws IOException {
        TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(config);
        String name = "taskmanager-" + (taskManagers.size() + 1);
        // A known RPC port: the REST API names a TaskManager "host:port-suffix".
        int port = freePort();
        taskManagers.put(
                name,
                launch(
                        name,
                        classpath,
                        ProcessMemoryUtils.generateJvmParametersStr(spec),
                        TASK_MANAGER,
                        TaskExecutorProcessUtils.generateDynamicConfigsStr(spec)
                                + " -D taskmanager.rpc.port="
                                + port));
        rpcPorts.put(name, port);
        return name;
    }

    /** The name of the TaskManager process the REST API calls {@code restId}. */
    public String taskManagerNamed(String restId) {
        return rpcPorts.entrySet().stream()
                .filter(e -> restId.contains(":" + e.getValue() + "-"))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no TaskManager process is " + restId));
    }

    /**
     * Kills a TaskManager process at once (SIGKILL: no shutdown, no flush, as a crashed machine).
     */
    public void killTaskManager(String name) throws InterruptedException {
        Process p = taskManagers.get(name);
        killed.add(p);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /** The names of the TaskManager processes still alive. */
    public List<String> liveTaskManagers() {
        return taskManagers.entrySet().stream()
                .filter(e -> e.getValue().isAlive())
                .map(Map.Entry::getKey)
                .toList();
    }

    /**
     * Stops a job with a savepoint ({@code POST /jobs/{id}/stop}, as {@code flink stop}) and
     * returns the savepoint's path once it is written.
     */
    public String stopWithSavepoint(String jobId, Path target) throws Exception {
        JsonNode body =
                ClickEventJson.MAPPER
                        .createObjectNode()
                        .put("targetDirectory", target.toUri().toString())
                        .put("drain", false);
        String trigger = post("/jobs/" + jobId + "/stop", body).get("request-id").asText();
        Instant end = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(end)) {
            JsonNode answer = get("/jobs/" + jobId + "/savepoints/" + trigger);
            if (answer.path("status").path("id").asText().equals("COMPLETED")) {
                JsonNode operation = answer.get("operation");
                if (operation.has("failure-cause")) {
                    throw new AssertionError("savepoint failed: " + operation);
                }
                return operation.get("location").asText();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no savepoint of " + jobId + " in " + START_TIMEOUT);
    }

    private Process launch(
            String name, String classpath, String jvmArgs, String mainClass, String dynamicConfig)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(jvmArgs.strip().split("\\s+")));
        command.addAll(Arrays.asList(JAVA_17_OPTS.split(" ")));
        command.add("-Dlog4j.configurationFile=" + dir.resolve("conf/log4j.properties").toUri());
        command.addAll(
                List.of(
                        "-cp",
                        classpath,
                        mainClass,
                        "--configDir",
                        dir.resolve("conf").toString()));
        command.addAll(Arrays.asList(dynamicConfig.strip().split("\\s+")));
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log(name).toFile())
                        .start();
        processes.add(process);
        return process;
    }

    /** Where a process of the cluster logs, e.g. {@code jobmanager} or {@code taskmanager-1}. */
    private Path log(String name) {
        return dir.resolve(name + ".log");
    }

    private void awaitTaskManagers(int expected) throws Exception {
        Instant end = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(end)) {
            requireAlive();
            try {
                if (get("/taskmanagers").get("taskmanagers").size() == expected) {
                    return;
                }
            } catch (IOException notYet) {
                // The REST endpoint is not listening yet, or answers 503 until the JobManager's
                // leader election is done.
            }
            Thread.sleep(500);
        }
        throw new AssertionError(
                expected + " TaskManagers did not register in " + START_TIMEOUT + "; see " + dir);
    }

    private void requireAlive() {
        for (Process p : processes) {
            if (!p.isAlive() && !killed.contains(p)) {
                throw new AssertionError(
                        "a Flink process exited (code " + p.exitValue() + "); see logs in " + dir);
            }
        }
    }

    /** GET of a REST path such as {@code /jobs/overview}; the JSON answer. */
    public JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(rest.resolve(path)).GET());
    }

    /** POST of a JSON body. */
    public JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
        return send(
                HttpRequest.newBuilder(rest.resolve(path))
                        .header("Content-Type", "application/json")
                        .POST(BodyPublishers.ofString(body.toString())));
    }

    /** Uploads a job jar ({@code POST /jars/upload}, multipart) and returns its jar id. */
    public String uploadJar(Path jar) throws IOException, InterruptedException {
        String boundary = UUID.randomUUID().toString();
        String head =
                "--"
                        + boundary
                        + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                        + jar.getFileName()
                        + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n";
        JsonNode answer =
                send(
                        HttpRequest.newBuilder(rest.resolve("/jars/upload"))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(
                                        BodyPublishers.concat(
                                                BodyPublishers.ofString(head),
                                                BodyPublishers.ofFile(jar),
                                                BodyPublishers.ofString(
                                                        "\r\n--" + boundary + "--\r\n"))));
        // The id is the stored file's name: "<uuid>_<original name>".
        return Path.of(answer.get("filename").asText()).getFileName().toString();
    }

    /** Cancels a job ({@code PATCH /jobs/{id}}); returns once it is asked, not once it is done. */
    public void cancel(String jobId) throws IOException, InterruptedException {
        send(
                HttpRequest.newBuilder(rest.resolve("/jobs/" + jobId + "?mode=cancel"))
                        .method("PATCH", BodyPublishers.noBody()));
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(request.timeout(Duration.ofSeconds(60)).build(), BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(
                    response.request().method()
                            + " "
                            + response.uri()
                            + " answered "
                            + response.statusCode()
                            + ": "
                            + response.body());
        }
        return response.body().isEmpty()
                ? ClickEventJson.MAPPER.createObjectNode()
                : ClickEventJson.MAPPER.readTree(response.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Stops every process: politely first (Flink shuts down cleanly on SIGTERM), then by force. */
    @Override
    public void close() {
        processes.forEach(Process::destroy);
        try {
            for (Process p : processes) {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            processes.forEach(Process::destroyForcibly);
            Thread.currentThread().interrupt();
        }
    }
}
