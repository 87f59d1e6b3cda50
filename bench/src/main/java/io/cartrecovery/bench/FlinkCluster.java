package io.cartrecovery.bench;

import io.cartrecovery.config.StateDefaults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.CheckpointStatsStatus;
import org.apache.flink.runtime.checkpoint.TaskStateStats;
import org.apache.flink.runtime.executiongraph.ArchivedExecutionGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * One Flink MiniCluster for the whole bench, as `cart-recovery run` and `replay` start one: the
 * cluster's own start is paid once, and its checkpoint statistics are read in-process rather than
 * through the REST port (which would clash with another local Flink on 8081).
 */
final class FlinkCluster implements AutoCloseable {
    private final MiniCluster cluster;
    private final int parallelism;
    private final Path checkpoints;

    FlinkCluster(int parallelism, Path checkpoints) throws Exception {
        // The managed memory a local `run` has: RocksDB (the `run` jobs' state) lives in it.
        this(parallelism, checkpoints, StateDefaults.LOCAL_MANAGED_MEMORY, null);
    }

    /**
     * @param managed the TaskManager's managed memory (RocksDB's block cache and write buffers)
     * @param network its network memory, or null for Flink's default
     */
    FlinkCluster(int parallelism, Path checkpoints, MemorySize managed, MemorySize network)
            throws Exception {
        this.parallelism = parallelism;
        this.checkpoints = checkpoints;
        Configuration config = new Configuration();
        config.set(RestOptions.BIND_PORT, "0");
        config.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, managed);
        if (network != null) {
            config.set(TaskManagerOptions.NETWORK_MEMORY_MIN, network);
            config.set(TaskManagerOptions.NETWORK_MEMORY_MAX, network);
        }
        cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(config)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(parallelism)
                                .build());
        cluster.start();
    }

    /** An environment for one job: the bench's parallelism, checkpoints to a folder. */
    StreamExecutionEnvironment environment(Configuration settings) {
        Configuration config = new Configuration(settings);
        config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(config);
        env.setParallelism(parallelism);
        return env;
    }

    /**
     * What a finished or cancelled job left.
     *
     * @param failedCheckpoints checkpoints that failed (or were declined)
     * @param maxMillis the longest end-to-end duration of a completed checkpoint
     * @param lastCheckpointBytes the full state size of the last completed checkpoint
     */
    record Finished(
            JobResult result,
            long checkpoints,
            long maxCheckpointBytes,
            long medianMillis,
            Map<String, Long> stateBytesByOperator,
            long failedCheckpoints,
            long maxMillis,
            long lastCheckpointBytes) {}

    /** Checkpoints the running job completed and failed so far: {completed, failed}. */
    long[] checkpointCounts(JobID id) {
        try {
            CheckpointStatsSnapshot stats =
                    cluster.getArchivedExecutionGraph(id).get().getCheckpointStatsSnapshot();
            return stats == null
                    ? new long[2]
                    : new long[] {
                        stats.getCounts().getNumberOfCompletedCheckpoints(),
                        stats.getCounts().getNumberOfFailedCheckpoints()
                    };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("no checkpoint statistics of " + id, e);
        }
    }

    JobID submit(StreamExecutionEnvironment env, String name) throws Exception {
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(name);
        return cluster.submitJob(graph).get().getJobID();
    }

    JobStatus status(JobID id) throws Exception {
        return cluster.getJobStatus(id).get();
    }

    /** Runs a bounded job to its end. */
    Finished runToEnd(StreamExecutionEnvironment env, String name) throws Exception {
        JobID id = submit(env, name);
        JobResult result = cluster.requestJobResult(id).get();
        if (!result.isSuccess()) {
            throw new IllegalStateException(
                    name + " failed",
                    result.getSerializedThrowable()
                            .map(t -> t.deserializeError(getClass().getClassLoader()))
                            .orElse(null));
        }
        return finished(id, result);
    }

    /** Waits until {@code done}, failing when the job ends first or the time runs out. */
    void await(JobID id, BooleanSupplier done, Duration timeout, String what) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (cluster.getJobStatus(id).get().isGloballyTerminalState()) {
                JobResult result = cluster.requestJobResult(id).get();
                throw new IllegalStateException(
                        what + ": the job ended early",
                        result.getSerializedThrowable()
                                .map(t -> t.deserializeError(getClass().getClassLoader()))
                                .orElse(null));
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException(what + ": not done within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    /** Cancels an unbounded job and returns its checkpoint statistics. */
    Finished cancel(JobID id) throws Exception {
        cluster.cancelJob(id).get();
        JobResult result = cluster.requestJobResult(id).get(60, TimeUnit.SECONDS);
        return finished(id, result);
    }

    private Finished finished(JobID id, JobResult result) throws Exception {
        ArchivedExecutionGraph graph = cluster.getArchivedExecutionGraph(id).get();
        CheckpointStatsSnapshot stats = graph.getCheckpointStatsSnapshot();
        if (stats == null) {
            return new Finished(result, 0, 0, 0, Map.of(), 0, 0, 0);
        }
        List<AbstractCheckpointStats> completed =
                stats.getHistory().getCheckpoints().stream()
                        .filter(c -> c.getStatus() == CheckpointStatsStatus.COMPLETED)
                        .toList();
        long maxBytes =
                completed.stream().mapToLong(AbstractCheckpointStats::getStateSize).max().orElse(0);
        long[] durations =
                completed.stream()
                        .mapToLong(AbstractCheckpointStats::getEndToEndDuration)
                        .sorted()
                        .toArray();
        long median = durations.length == 0 ? 0 : durations[durations.length / 2];
        long last =
                completed.stream()
                        .max(Comparator.comparingLong(AbstractCheckpointStats::getCheckpointId))
                        .map(AbstractCheckpointStats::getStateSize)
                        .orElse(0L);
        return new Finished(
                result,
                stats.getCounts().getNumberOfCompletedCheckpoints(),
                maxBytes,
                median,
                completed.stream()
                        .max(Comparator.comparingLong(AbstractCheckpointStats::getStateSize))
                        .map(largest -> byOperator(graph, largest))
                        .orElse(Map.of()),
                stats.getCounts().getNumberOfFailedCheckpoints(),
                durations.length == 0 ? 0 : durations[durations.length - 1],
                last);
    }

    /** The state of a checkpoint by task (chained operators share one), largest first. */
    private static Map<String, Long> byOperator(
            ArchivedExecutionGraph graph, AbstractCheckpointStats checkpoint) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        checkpoint.getAllTaskStateStats().stream()
                .filter(task -> task.getStateSize() > 0)
                .sorted(Comparator.comparingLong(TaskStateStats::getStateSize).reversed())
                .forEach(
                        task ->
                                sizes.merge(
                                        graph.getJobVertex(task.getJobVertexId()).getName(),
                                        task.getStateSize(),
                                        Long::sum));
        return sizes;
    }

    @Override
    public void close() {
        cluster.closeAsync().join();
    }
}
