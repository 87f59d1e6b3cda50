package io.cartrecovery.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrecovery.settings.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDefaultsTest {
    @TempDir Path dir;

    @Test
    void anyRunGetsRocksDbWithIncrementalRetainedCheckpoints() {
        Configuration config = StateDefaults.forAnyRun(new Configuration());

        assertThat(config.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(config.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(config.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        assertThat(config.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEmpty();
    }

    @Test
    void whatTheUserSetStays() {
        Configuration given =
                Configuration.fromMap(
                        Map.of(
                                "state.backend.type", "hashmap",
                                "execution.checkpointing.incremental", "false",
                                "execution.checkpointing.dir", "s3://bucket/cr",
                                "taskmanager.memory.managed.size", "2g"));

        Configuration config = StateDefaults.forLocalRun(given, dir);

        assertThat(config.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
        assertThat(config.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isFalse();
        assertThat(config.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo("s3://bucket/cr");
        assertThat(config.get(TaskManagerOptions.MANAGED_MEMORY_SIZE))
                .isEqualTo(MemorySize.parse("2g"));
        assertThat(given.getOptional(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                .as("the given configuration is not changed")
                .isEmpty();
    }

    @Test
    void localRunKeepsCheckpointsOnDiskWithBoundedMemory() {
        Configuration config = StateDefaults.forLocalRun(new Configuration(), dir.resolve("cp"));

        assertThat(config.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo(dir.resolve("cp").toUri().toString());
        assertThat(config.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(config.get(TaskManagerOptions.MANAGED_MEMORY_SIZE))
                .isEqualTo(StateDefaults.LOCAL_MANAGED_MEMORY);
        assertThat(config.get(TaskManagerOptions.NETWORK_MEMORY_MAX))
                .isEqualTo(StateDefaults.LOCAL_NETWORK_MEMORY);
    }

    @Test
    void aClusterWithoutCheckpointDirectoryIsRefusedInOneLine() {
        assertThatThrownBy(
                        () ->
                                StateDefaults.requireCheckpointDirectory(
                                        new Configuration(), new Configuration()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("execution.checkpointing.dir is not set")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aClusterDirectoryFromTheJobOrTheClusterIsEnough() {
        Configuration named = Configuration.fromMap(Map.of("execution.checkpointing.dir", "x:/"));

        StateDefaults.requireCheckpointDirectory(named, new Configuration());
        StateDefaults.requireCheckpointDirectory(new Configuration(), named);
    }

    @Test
    void newestCompleteCheckpointOfAnyEarlierRunIsFound() throws Exception {
        Path older = checkpoint("job-a", "chk-40", Instant.parse("2026-12-01T10:00:00Z"));
        Path newer = checkpoint("job-b", "chk-3", Instant.parse("2026-12-01T11:00:00Z"));
        // Incomplete (no _metadata yet) and foreign directories are no candidates.
        Files.createDirectories(dir.resolve("job-b/chk-4"));
        Files.createDirectories(dir.resolve("job-b/shared"));
        Files.createDirectories(dir.resolve("job-c/taskowned"));

        assertThat(StateDefaults.latestRetained(dir)).contains(newer);
        assertThat(older).exists();
    }

    @Test
    void noCheckpointDirectoryMeansNothingToResume() {
        assertThat(StateDefaults.latestRetained(dir.resolve("missing"))).isEmpty();
        assertThat(StateDefaults.latestRetained(dir)).isEmpty();
    }

    @Test
    void resumingClaimsTheNewestCheckpoint() throws Exception {
        Path latest = checkpoint("job-a", "chk-7", Instant.parse("2026-12-01T10:00:00Z"));
        Configuration config = StateDefaults.forLocalRun(new Configuration(), dir);

        assertThat(StateDefaults.resumeFromLatest(config)).contains(latest);
        assertThat(config.get(StateRecoveryOptions.SAVEPOINT_PATH)).isEqualTo(latest.toString());
        assertThat(config.get(StateRecoveryOptions.RESTORE_MODE))
                .isEqualTo(RecoveryClaimMode.CLAIM);
    }

    @Test
    void anExplicitRestorePathWins() throws Exception {
        checkpoint("job-a", "chk-7", Instant.parse("2026-12-01T10:00:00Z"));
        Configuration config = StateDefaults.forLocalRun(new Configuration(), dir);
        config.set(StateRecoveryOptions.SAVEPOINT_PATH, "/savepoints/sp-1");

        assertThat(StateDefaults.resumeFromLatest(config)).isEmpty();
        assertThat(config.get(StateRecoveryOptions.SAVEPOINT_PATH)).isEqualTo("/savepoints/sp-1");
    }

    private Path checkpoint(String job, String name, Instant completed) throws Exception {
        Path checkpoint = Files.createDirectories(dir.resolve(job).resolve(name));
        Path metadata = Files.writeString(checkpoint.resolve("_metadata"), "m");
        Files.setLastModifiedTime(metadata, FileTime.from(completed));
        return checkpoint;
    }
}
