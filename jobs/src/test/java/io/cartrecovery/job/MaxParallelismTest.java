package io.cartrecovery.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class MaxParallelismTest {
    @Test
    void theJobFixesItsKeyGroupsWhateverTheFirstRunsParallelism() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(3);
        CartRecoveryJob.configure(env);
        assertThat(env.getMaxParallelism()).isEqualTo(CartRecoveryJob.MAX_PARALLELISM);
    }

    @Test
    void aConfiguredMaxParallelismWins() {
        Configuration config = new Configuration();
        config.set(PipelineOptions.MAX_PARALLELISM, 128);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        CartRecoveryJob.configure(env);
        assertThat(env.getMaxParallelism()).isEqualTo(128);
    }
}
