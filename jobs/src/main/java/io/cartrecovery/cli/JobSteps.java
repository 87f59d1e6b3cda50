package io.cartrecovery.cli;

import io.cartrecovery.config.ClickHouseSettings;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.JobListener;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The start-up lines of the job itself, shared by {@code run} and {@code demo}. */
public final class JobSteps {
    private JobSteps() {}

    /**
     * Says the job is being built (and what makes that slow) and, through a job listener, when
     * Flink has accepted it.
     */
    public static void announce(
            StreamExecutionEnvironment env, ReadableConfig config, StartupSteps steps) {
        steps.step(
                ClickHouseSettings.from(config).isPresent()
                        ? "Building the job; Flink's SQL planner compiles the three KPI window"
                                + " queries for ClickHouse, the longest step (tens of seconds) ..."
                        : "Building the job ...");
        env.registerJobListener(
                new JobListener() {
                    @Override
                    public void onJobSubmitted(JobClient client, Throwable failure) {
                        if (client != null) {
                            steps.step("Detection job running (job %s)", client.getJobID());
                        }
                    }

                    @Override
                    public void onJobExecuted(JobExecutionResult result, Throwable failure) {}
                });
    }
}
