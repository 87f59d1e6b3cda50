package io.cartrecovery.bench;

import io.cartrecovery.config.JobSettings;
import io.cartrecovery.replay.ReplayJob;
import io.cartrecovery.sinks.JsonLinesFileSink;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * `cart-recovery replay`: the production graph (ReplayJob, as the command builds it) on the bench
 * file, with checkpoints, writing its result files into {@code OUT/replay/run-N}. The last run's
 * abandoned carts are what the peer is checked against.
 */
final class ReplayMeasurement extends FileJobMeasurement {
    private Path lastOutput;

    ReplayMeasurement(BenchContext context) {
        super(context);
    }

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public String description() {
        return "cart-recovery replay: the whole job graph (ReplayJob) on the file";
    }

    @Override
    long trackedKeys() {
        return context.mix().carts();
    }

    /** The abandoned carts of the last measured run, or null before one. */
    Path abandoned() {
        return lastOutput == null ? null : lastOutput.resolve(ReplayJob.ABANDONED);
    }

    @Override
    FlinkCluster.Finished job(Path input, String tag) throws Exception {
        Path output = context.out().resolve("replay/" + tag);
        BenchContext.deleteRecursively(output);
        Configuration config = context.jobConfig();
        StreamExecutionEnvironment env = context.flink().environment(config);
        env.enableCheckpointing(context.checkpointInterval().toMillis());
        ReplayJob.build(env, input, null, null, null, output, JobSettings.from(config), null);
        FlinkCluster.Finished finished = context.flink().runToEnd(env, "bench-replay");
        for (String file : ReplayJob.FILES) {
            JsonLinesFileSink.mergeParts(output.resolve(file));
        }
        if (!tag.equals("warm-up")) {
            lastOutput = output;
        }
        return finished;
    }
}
