package io.cartrecovery.cli;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.JobListener;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The start-up lines of the job itself, shared by {@code run} and {@code demo}. */
public final class JobSteps {
    private JobSteps() {}

    /** Says the job is being built and, through a job listener, when Flink has accepted it. */
    public static void announce(StreamExecutionEnvironment env, StartupSteps steps) {
        steps.step("Building the job ...");
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
