package io.cartrecovery.config;

import io.cartrecovery.settings.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.RecoveryClaimMode;

/**
 * The state and checkpoint settings a long-running job needs, as defaults under whatever the user
 * set (docs/state.md). Flink's own defaults keep state on the heap and checkpoints in the
 * JobManager's memory, which fails every checkpoint once one operator holds 5 MB, a few thousand
 * carts: the job then restarts forever.
 */
public final class StateDefaults {
    private StateDefaults() {}

    /** State backend unless {@code state.backend.type} says otherwise. */
    public static final String STATE_BACKEND = "rocksdb";

    /**
     * Managed memory of a local run: RocksDB's block cache and write buffers live in it, so it
     * bounds what state costs off the heap however large the state grows.
     */
    public static final MemorySize LOCAL_MANAGED_MEMORY = MemorySize.parse("512m");

    /** Network buffers of a local run (Flink's local default is 64 MB; it is enough for us). */
    public static final MemorySize LOCAL_NETWORK_MEMORY = MemorySize.parse("64m");

    private static final Pattern CHECKPOINT = Pattern.compile("chk-(\\d+)");

    /**
     * Defaults for every run of the streaming job, local or on a cluster: RocksDB with incremental
     * checkpoints, retained when the job is cancelled or fails so the next start can resume.
     */
    public static Configuration forAnyRun(Configuration given) {
        Configuration config = new Configuration(given);
        setIfAbsent(config, given, StateBackendOptions.STATE_BACKEND, STATE_BACKEND);
        setIfAbsent(config, given, CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        setIfAbsent(
                config,
                given,
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        return config;
    }

    /**
     * Defaults for a run in this process (an embedded Flink): those of {@link #forAnyRun}, a
     * durable checkpoint directory at {@code defaultDir} unless {@code execution.checkpointing.dir}
     * names one, and bounded memory.
     */
    public static Configuration forLocalRun(Configuration given, Path defaultDir) {
        Configuration config = forAnyRun(given);
        setIfAbsent(
                config,
                given,
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                defaultDir.toAbsolutePath().toUri().toString());
        setIfAbsent(config, given, TaskManagerOptions.MANAGED_MEMORY_SIZE, LOCAL_MANAGED_MEMORY);
        setIfAbsent(config, given, TaskManagerOptions.NETWORK_MEMORY_MIN, LOCAL_NETWORK_MEMORY);
        setIfAbsent(config, given, TaskManagerOptions.NETWORK_MEMORY_MAX, LOCAL_NETWORK_MEMORY);
        return config;
    }

    /**
     * On a cluster no directory can be derived: the JobManager's memory is no place for real state
     * and a local path of this machine means nothing to the TaskManagers.
     *
     * @param job the job's settings
     * @param cluster the settings the cluster client was started with
     */
    public static void requireCheckpointDirectory(ReadableConfig job, ReadableConfig cluster) {
        if (job.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY).isEmpty()
                && cluster.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY).isEmpty()) {
            throw new ConfigException(
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY.key()
                            + " is not set: a cluster needs a durable checkpoint directory all"
                            + " TaskManagers reach (e.g. s3://bucket/cart-recovery); set it in"
                            + " the cluster's config.yaml or with -D "
                            + CheckpointingOptions.CHECKPOINTS_DIRECTORY.key()
                            + "=URI");
        }
    }

    /**
     * Resumes from the newest checkpoint retained under the configured checkpoint directory, if
     * there is one and {@code execution.state-recovery.path} names none. The restored checkpoint is
     * claimed: the new run owns it and deletes it once a newer one exists, so retained checkpoints
     * do not pile up run after run.
     *
     * @return the checkpoint resumed from, if any
     */
    public static Optional<Path> resumeFromLatest(Configuration config) {
        if (config.getOptional(StateRecoveryOptions.SAVEPOINT_PATH).isPresent()) {
            return Optional.empty();
        }
        Optional<Path> latest =
                config.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)
                        .flatMap(StateDefaults::localPath)
                        .flatMap(StateDefaults::latestRetained);
        latest.ifPresent(
                checkpoint -> {
                    config.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toString());
                    config.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.CLAIM);
                });
        return latest;
    }

    /**
     * The newest complete checkpoint under {@code dir} (Flink's layout: {@code JOB_ID/chk-N} with a
     * {@code _metadata} file once complete), newest by the metadata's modification time: each run
     * has a job id of its own and numbers its checkpoints from where it restored.
     */
    public static Optional<Path> latestRetained(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> jobs = Files.list(dir)) {
            return jobs.filter(Files::isDirectory)
                    .flatMap(StateDefaults::checkpoints)
                    .filter(checkpoint -> Files.isRegularFile(checkpoint.resolve("_metadata")))
                    .max(
                            Comparator.comparing(StateDefaults::metadataTime)
                                    .thenComparing(StateDefaults::number));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + dir, e);
        }
    }

    private static Stream<Path> checkpoints(Path job) {
        try (Stream<Path> children = Files.list(job)) {
            return children
                    .filter(child -> CHECKPOINT.matcher(name(child)).matches())
                    .toList()
                    .stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    private static long metadataTime(Path checkpoint) {
        try {
            return Files.getLastModifiedTime(checkpoint.resolve("_metadata")).toMillis();
        } catch (IOException e) {
            return Long.MIN_VALUE;
        }
    }

    private static long number(Path checkpoint) {
        Matcher matcher = CHECKPOINT.matcher(name(checkpoint));
        return matcher.matches() ? Long.parseLong(matcher.group(1)) : -1;
    }

    private static String name(Path path) {
        return path.getFileName().toString();
    }

    /** A {@code file:} URI or a plain path as a local path; other file systems are not scanned. */
    private static Optional<Path> localPath(String location) {
        if (location.startsWith("file:")) {
            return Optional.of(Path.of(URI.create(location)));
        }
        return location.contains("://") ? Optional.empty() : Optional.of(Path.of(location));
    }

    private static <T> void setIfAbsent(
            Configuration config, ReadableConfig given, ConfigOption<T> option, T value) {
        if (given.getOptional(option).isEmpty()) {
            config.set(option, value);
        }
    }
}
