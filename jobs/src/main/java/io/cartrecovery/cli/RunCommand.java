package io.cartrecovery.cli;

import io.cartrecovery.job.StreamingJob;
import io.cartrecovery.sinks.KafkaTopics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run the detection job on the Kafka clickstream until stopped.",
            "Locally it runs in an embedded Flink; submitted with `flink run` it runs on the cluster."
        })
final class RunCommand implements Callable<Integer> {
    @Mixin SettingsMixin settings;

    private static final Duration TOPIC_CHECK_TIMEOUT = Duration.ofSeconds(15);

    @Override
    public Integer call() throws Exception {
        Configuration config = settings.load();
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
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        StreamingJob.build(env, config);
        env.execute(StreamingJob.NAME);
        return 0;
    }
}
