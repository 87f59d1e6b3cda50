package io.cartrecovery.cli;

import io.cartrecovery.config.Configs;
import io.cartrecovery.config.DeliveryOptions;
import io.cartrecovery.config.KafkaClientProperties;
import io.cartrecovery.config.KafkaOptions;
import io.cartrecovery.config.StateDefaults;
import io.cartrecovery.job.StreamingJob;
import io.cartrecovery.settings.ConfigException;
import io.cartrecovery.sinks.KafkaTopics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run the detection job on the Kafka clickstream until stopped.",
            "Locally it runs in an embedded Flink with RocksDB state and checkpoints under"
                    + " .state/ of the project (unless execution.checkpointing.dir says"
                    + " otherwise), and resumes from the newest checkpoint an earlier run left"
                    + " there; submitted with `flink run` it runs on the cluster, which must"
                    + " name a durable execution.checkpointing.dir (docs/state.md)."
        })
public final class RunCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin SettingsMixin settings;

    @Option(
            names = "--fresh",
            description =
                    "Start without the state of earlier local runs: do not resume from their"
                            + " checkpoints (they stay where they are).")
    boolean fresh;

    private static final Duration TOPIC_CHECK_TIMEOUT = Duration.ofSeconds(15);

    @Override
    public Integer call() throws Exception {
        StartupSteps steps = new StartupSteps(spec.commandLine().getOut());
        Configuration config = StateDefaults.forAnyRun(settings.load());
        String servers = Configs.get(config, KafkaOptions.BOOTSTRAP_SERVERS);
        KafkaReachable.require(servers, KafkaClientProperties.from(config), KafkaReachable.TIMEOUT);
        steps.step("Kafka reachable at %s", servers);
        List<String> missing;
        try {
            missing = KafkaTopics.missing(config, TOPIC_CHECK_TIMEOUT);
        } catch (IllegalStateException e) {
            throw new CommandFailure(e.getMessage());
        }
        if (!missing.isEmpty()) {
            // One line for the first, and how many more: the topics are usually created together.
            throw new CommandFailure(
                    missing.get(0)
                            + (missing.size() > 1
                                    ? " (and " + (missing.size() - 1) + " more topics)"
                                    : "")
                            + "; create them first (README, Topics and formats)");
        }
        steps.step("Topics: the %d the job reads and writes exist", KafkaTopics.ALL.size());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        if (env instanceof LocalStreamEnvironment) {
            config = StateDefaults.forLocalRun(config, localStateDirectory(config));
            announce(config, fresh ? Optional.empty() : StateDefaults.resumeFromLatest(config));
            env = StreamExecutionEnvironment.createLocalEnvironment(config);
        } else {
            try {
                StateDefaults.requireCheckpointDirectory(config, env.getConfiguration());
            } catch (ConfigException e) {
                throw new CommandFailure(e.getMessage());
            }
        }
        JobSteps.announce(env, steps);
        StreamingJob.build(env, config);
        steps.step("Job built; submitting it to Flink ...");
        env.execute(StreamingJob.NAME);
        return 0;
    }

    /**
     * {@code .state/PREFIX/checkpoints} under the project's home: one directory per job, named by
     * its transactional-id prefix (unique per job), so two jobs run from one checkout never resume
     * each other's state.
     */
    static Path localStateDirectory(Configuration config) {
        return Path.of(System.getProperty("cartrecovery.home", "."))
                .resolve(".state")
                .resolve(Configs.get(config, DeliveryOptions.TRANSACTIONAL_ID_PREFIX))
                .resolve("checkpoints");
    }

    private void announce(Configuration config, Optional<Path> resumed) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "State: %s, checkpoints in %s%n",
                config.get(StateBackendOptions.STATE_BACKEND),
                config.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY));
        out.println(
                resumed.map(checkpoint -> "Resuming from " + checkpoint)
                        .orElse(
                                fresh
                                        ? "Starting fresh (--fresh)"
                                        : "No earlier checkpoint: starting fresh"));
        out.flush();
    }
}
