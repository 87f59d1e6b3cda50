package io.cartrecovery.cli;

import io.cartrecovery.job.StreamingJob;
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

    @Override
    public Integer call() throws Exception {
        Configuration config = settings.load();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        StreamingJob.build(env, config);
        env.execute(StreamingJob.NAME);
        return 0;
    }
}
