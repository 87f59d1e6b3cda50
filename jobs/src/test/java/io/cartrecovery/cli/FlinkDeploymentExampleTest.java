package io.cartrecovery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The Kubernetes operator example the README points to: valid, and it runs our job. */
class FlinkDeploymentExampleTest {
    private static final String FILE = "conf/k8s/flinkdeployment.yaml";

    private static JsonNode deployment() throws Exception {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(FILE))) {
                return new YAMLMapper().readTree(p.resolve(FILE).toFile());
            }
        }
        throw new IllegalStateException(FILE + " not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void runsTheClusterJarsRunCommandOnThePomsFlinkVersion() throws Exception {
        JsonNode spec = deployment().get("spec");
        // The operator names versions v<major>_<minor>; Flink on the test classpath is the pom's.
        String[] version = EnvironmentInformation.getVersion().split("\\.");
        assertThat(spec.get("flinkVersion").asText())
                .isEqualTo("v" + version[0] + "_" + version[1]);
        JsonNode job = spec.get("job");
        assertThat(job.get("entryClass").asText()).isEqualTo(JobCli.class.getName());
        assertThat(job.get("jarURI").asText()).endsWith(".jar");
        assertThat(job.get("parallelism").asInt()).isEqualTo(2);
        assertThat(job.get("upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(spec.get("flinkConfiguration").has("execution.checkpointing.savepoint-dir"))
                .as("savepoint upgrades need a savepoint folder")
                .isTrue();

        List<String> args = new ArrayList<>();
        job.get("args").forEach(arg -> args.add(arg.asText()));
        CommandLine.ParseResult parsed =
                new CommandLine(new JobCli()).parseArgs(args.toArray(String[]::new));
        assertThat(parsed.subcommand().commandSpec().userObject()).isInstanceOf(RunCommand.class);
        RunCommand run = (RunCommand) parsed.subcommand().commandSpec().userObject();
        // Known settings with valid values, as the job will load them.
        Configuration config = run.settings.load();
        assertThat(config.toMap()).containsKey("kafka.bootstrap-servers");
    }
}
