package io.cartrecovery.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.cli.JobCli;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The cluster jar holds the job and what it needs, nothing of the demo: no simulators or
 * generators, no local launchers, no Kafka broker or tools. An integration test (failsafe) because
 * it reads the packaged jar.
 */
class ClusterJarIT {
    private static Path clusterJar() throws IOException {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> found =
                Files.newDirectoryStream(Path.of("target"), "cart-recovery-jobs-*-cluster.jar")) {
            found.forEach(jars::add);
        }
        assertThat(jars)
                .as("one target/cart-recovery-jobs-*-cluster.jar: run with `mvn verify`")
                .hasSize(1);
        return jars.get(0);
    }

    @Test
    void holdsTheJobAndNoDemoSimulatorOrLauncher() throws IOException {
        List<String> ours = new ArrayList<>();
        List<String> unwanted = new ArrayList<>();
        try (JarFile jar = new JarFile(clusterJar().toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(JobCli.class.getName());
            for (JarEntry entry : jar.stream().toList()) {
                String name = entry.getName();
                if (name.startsWith("io/cartrecovery/")) {
                    ours.add(name);
                }
                if (name.startsWith("io/cartrecovery/demo/")
                        || name.startsWith("io/cartrecovery/launch/")
                        || name.startsWith("io/cartrecovery/bench/")
                        || name.startsWith("io/cartrecovery/")
                                && name.matches(".*(Simulator|Generator|Demo|Local\\w*)[^/]*")
                        // The broker (Scala, package kafka) and Kafka's tools: local-kafka's.
                        || name.startsWith("kafka/") && name.endsWith(".class")
                        || name.startsWith("org/apache/kafka/tools/")) {
                    unwanted.add(name);
                }
            }
        }
        assertThat(unwanted).isEmpty();
        assertThat(ours)
                .contains(
                        "io/cartrecovery/cli/JobCli.class",
                        "io/cartrecovery/cli/RunCommand.class",
                        "io/cartrecovery/job/StreamingJob.class");
    }
}
