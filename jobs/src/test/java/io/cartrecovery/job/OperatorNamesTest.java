package io.cartrecovery.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.config.ClickHouseOptions;
import io.cartrecovery.config.Configs;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Flink web UI reads like the architecture: every operator has a name we chose. */
class OperatorNamesTest {
    private static StreamGraph graph;

    @BeforeAll
    static void buildTheJob() {
        // With ClickHouse configured the job has everything, the KPI minutes included; building
        // the graph connects to nothing.
        Configuration config =
                Configs.load(null, Map.of(ClickHouseOptions.URL.key(), "http://127.0.0.1:1"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        StreamingJob.build(env, config);
        graph = env.getStreamGraph();
    }

    @Test
    void noVertexCarriesAPlannerName() {
        List<String> vertices =
                Arrays.stream(graph.getJobGraph().getVerticesAsArray())
                        .map(JobVertex::getName)
                        .toList();
        assertThat(vertices).hasSizeGreaterThan(10);
        // GlobalWindowAggregate[25], Calc[26], *anonymous_datastream_source$1*[1],
        // TableToDataStream
        assertThat(vertices)
                .noneMatch(name -> name.matches("(?s).*\\[\\d+].*"))
                .noneMatch(name -> name.contains("TableToDataStream"))
                .noneMatch(name -> name.contains("anonymous"));
    }

    @Test
    void theKpiOperatorsAreNamedAfterWhatTheyCount() {
        List<String> operators =
                graph.getStreamNodes().stream().map(StreamNode::getOperatorName).toList();
        assertThat(operators)
                .contains(
                        "kpi abandoned cart",
                        "kpi task",
                        "kpi created cart",
                        "kpi minute",
                        "kpi contact step",
                        "contact kpi minute",
                        "alert kpi minute");
        assertThat(operators)
                .allMatch(
                        name -> name.matches("[A-Za-z: ()-]+"),
                        "words only, no planner numbers or generated names");
    }

    @Test
    void everyOperatorHasAStableUid() {
        assertThat(graph.getStreamNodes())
                .allSatisfy(
                        node ->
                                assertThat(node.getTransformationUID())
                                        .as(node.getOperatorName())
                                        .isNotBlank());
    }
}
