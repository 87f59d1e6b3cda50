package io.cartrecovery.cli;

import static io.cartrecovery.testing.Events.add;
import static io.cartrecovery.testing.Events.minutes;
import static io.cartrecovery.testing.ReplayRun.clockAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cartrecovery.config.Configs;
import io.cartrecovery.config.DetectionOptions;
import io.cartrecovery.config.JobSettings;
import io.cartrecovery.events.Stage;
import io.cartrecovery.replay.ReplayJob;
import io.cartrecovery.testing.ConsoleCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The cluster jar's command line as a user meets it: help, one-line errors, a replay. */
class JobCliTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path dir;

    @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

    private String stdout() {
        return console.stdout();
    }

    private String stderr() {
        return console.stderr();
    }

    @Test
    void helpListsEveryCommandAndSetting() {
        assertThat(JobCli.execute("--help")).isZero();
        assertThat(stdout()).contains("run", "replay");
        for (ConfigOption<?> option : Configs.allOptions()) {
            assertThat(stdout()).contains(option.key());
        }
        assertThat(stdout()).contains("detection.gap (default: 10 min)");
    }

    @Test
    void hasTheJobsCommandsOnly() {
        // The simulators, generators and local launchers are the demo module's (bin/cart-recovery).
        assertThat(new CommandLine(new JobCli()).getSubcommands().keySet())
                .containsExactly("run", "replay", "schema", "report", "help");
    }

    @Test
    void mainInsideFlinkReportsAFailureAsAnExceptionInsteadOfExiting() {
        // The MiniCluster extension sets Flink's context, as `flink run` or a JobManager does;
        // without it main would exit this JVM.
        assertThat(StreamExecutionEnvironment.areExplicitEnvironmentsAllowed()).isFalse();
        assertThatThrownBy(() -> JobCli.main(new String[] {"run", "-D", "detection.gap=soon"}))
                .hasMessageStartingWith("cart-recovery: invalid value for 'detection.gap': ");
    }

    @Test
    void unknownCommandIsAOneLineErrorPointingToHelp() {
        assertThat(JobCli.execute("replya")).isEqualTo(2);

        assertThat(stderr().strip())
                .startsWith("cart-recovery: unknown command 'replya' (commands: run, replay,")
                .endsWith("; see 'cart-recovery --help'")
                .doesNotContain("\n");
    }

    @Test
    void unknownOptionIsAOneLineErrorPointingToTheCommandsHelp() {
        assertThat(JobCli.execute("replay", "--input", "x.jsonl", "--out", "o", "--speeed", "2"))
                .isEqualTo(2);

        assertThat(stderr().strip())
                .startsWith("cart-recovery: Unknown option")
                .contains("--speeed")
                .endsWith("; see 'cart-recovery replay --help'")
                .doesNotContain("\n");
    }

    @Test
    void unknownSettingIsAOneLineError() {
        assertThat(
                        JobCli.execute(
                                "replay",
                                "--input",
                                "x",
                                "--out",
                                "y",
                                "-D",
                                "detection.gapp=5min"))
                .isEqualTo(2);
        assertThat(stderr().strip())
                .isEqualTo(
                        "cart-recovery: unknown setting 'detection.gapp'; see cart-recovery --help");
    }

    @Test
    void aRemovedSettingSaysWhatReplacedIt() {
        assertThat(
                        JobCli.execute(
                                "replay",
                                "--input",
                                "x",
                                "--out",
                                "y",
                                "-D",
                                "enrichment.profile-wait=30s"))
                .isEqualTo(2);
        assertThat(stderr().strip())
                .isEqualTo(
                        "cart-recovery: setting 'enrichment.profile-wait' was removed: carts now"
                                + " wait in event time for the profiles on the topic at the start"
                                + " (docs/profiles.md); delete the line");
    }

    @Test
    void badValueIsAOneLineErrorNamingTheSetting() {
        assertThat(
                        JobCli.execute(
                                "replay", "--input", "x", "--out", "y", "-D", "detection.gap=soon"))
                .isEqualTo(2);
        assertThat(stderr().strip())
                .startsWith("cart-recovery: invalid value for 'detection.gap': ")
                .doesNotContain("\n");
    }

    @Test
    void badGapOverrideIsAOneLineError() {
        assertThat(
                        JobCli.execute(
                                "replay",
                                "--input",
                                "x",
                                "--out",
                                "y",
                                "-D",
                                "detection.gaps=*.basket:5min"))
                .isEqualTo(2);
        assertThat(stderr().strip())
                .startsWith("cart-recovery: detection.gaps: '*.basket' is not *.STAGE")
                .doesNotContain("\n");
    }

    @Test
    void gapOverrideThatIsNotADurationIsAOneLineError() {
        assertThat(
                        JobCli.execute(
                                "replay",
                                "--input",
                                "x",
                                "--out",
                                "y",
                                "-D",
                                "detection.gaps=shop-1:soon"))
                .isEqualTo(2);
        assertThat(stderr().strip())
                .isEqualTo(
                        "cart-recovery: detection.gaps: 'soon' for 'shop-1' is not a duration (e.g."
                                + " 15 min)");
    }

    @Test
    void missingInputIsAOneLineError() {
        assertThat(
                        JobCli.execute(
                                "replay",
                                "--input",
                                dir.resolve("nope.jsonl").toString(),
                                "--out",
                                dir.toString()))
                .isEqualTo(2);
        assertThat(stderr().strip())
                .isEqualTo(
                        "cart-recovery: input file "
                                + dir.resolve("nope.jsonl")
                                + " does not exist");
    }

    @Test
    void missingAgentsFileIsAOneLineError() throws Exception {
        Path input = Files.writeString(dir.resolve("in.jsonl"), "");
        assertThat(
                        JobCli.execute(
                                "replay",
                                "--input",
                                input.toString(),
                                "--agents",
                                dir.resolve("agents.jsonl").toString(),
                                "--out",
                                dir.toString()))
                .isEqualTo(2);
        assertThat(stderr().strip())
                .isEqualTo(
                        "cart-recovery: agents file "
                                + dir.resolve("agents.jsonl")
                                + " does not exist");
    }

    @Test
    void badAssignmentSettingIsAOneLineError() throws Exception {
        Path input = Files.writeString(dir.resolve("in.jsonl"), "");
        assertThat(
                        JobCli.execute(
                                "replay",
                                "--input",
                                input.toString(),
                                "--out",
                                dir.toString(),
                                "-D",
                                "assignment.queue-alert-size=-1"))
                .isEqualTo(2);
        assertThat(stderr().strip())
                .isEqualTo("cart-recovery: assignment.queue-alert-size must be at least 0, got -1");
    }

    @Test
    void missingConfigFileIsAOneLineError() {
        assertThat(
                        JobCli.execute(
                                "replay",
                                "--config",
                                dir.resolve("c.yaml").toString(),
                                "--input",
                                "x",
                                "--out",
                                "y"))
                .isEqualTo(2);
        assertThat(stderr().strip())
                .isEqualTo(
                        "cart-recovery: config file " + dir.resolve("c.yaml") + " does not exist");
    }

    @Test
    void configFileGapsMappingAndCommandLineOverride() throws Exception {
        Path file = dir.resolve("settings.yaml");
        Files.writeString(
                file,
                """
                detection.gap: 12 min
                detection.gaps:
                  "*.payment": 3 min
                  shop-2: 20 min
                ingest.out-of-orderness: 2 s
                parallelism.default: 1
                """);
        JobSettings settings =
                JobSettings.from(Configs.load(file, Map.of("ingest.out-of-orderness", "7s")));
        assertThat(settings.gaps().gapFor("shop-1", Stage.CART)).isEqualTo(Duration.ofMinutes(12));
        assertThat(settings.gaps().gapFor("shop-1", Stage.PAYMENT))
                .isEqualTo(Duration.ofMinutes(3));
        assertThat(settings.gaps().gapFor("shop-2", Stage.PAYMENT))
                .isEqualTo(Duration.ofMinutes(20));
        assertThat(settings.outOfOrderness()).isEqualTo(Duration.ofSeconds(7));
        assertThat(Configs.load(file, Map.of()).get(DetectionOptions.GAP))
                .isEqualTo(Duration.ofMinutes(12));
    }

    @Test
    void replayWritesItsFilesAndCountsThem() throws Exception {
        Path input = dir.resolve("events.jsonl");
        String ga4Scroll =
                "{\"client_id\":\"c.1\",\"timestamp_micros\":"
                        + minutes(1) * 1000
                        + ",\"events\":[{\"name\":\"scroll\",\"params\":{}}]}";
        Files.write(
                input,
                List.of(
                        add("p1", 1, "9.99").atMinute(0).json(),
                        "not json",
                        ga4Scroll,
                        clockAt(20)));
        Path outcomes = dir.resolve("outcomes.jsonl");
        Files.write(outcomes, List.of("{\"task_id\":\"nope\"}"));
        // The shopper has a profile with consent to every channel: only contactable carts get a
        // task.
        Path profiles = dir.resolve("profiles.jsonl");
        Files.write(
                profiles,
                List.of(
                        "{\"store_id\":\"shop-1\",\"customer_id\":\"cust-1\","
                                + "\"phone\":\"+34612345678\",\"email\":\"c1@example.com\","
                                + "\"consent\":{\"call\":{\"granted\":true},"
                                + "\"whatsapp\":{\"granted\":true},\"sms\":{\"granted\":true},"
                                + "\"email\":{\"granted\":true}}}"));
        Path outDir = dir.resolve("out");
        assertThat(
                        JobCli.execute(
                                "replay",
                                "--input",
                                input.toString(),
                                "--profiles",
                                profiles.toString(),
                                "--outcomes",
                                outcomes.toString(),
                                "--out",
                                outDir.toString(),
                                "--store",
                                "shop-1",
                                "-D",
                                "followup.holdout-share=0"))
                .isZero();
        assertThat(stdout())
                .containsPattern("tasks.jsonl +1\n")
                .containsPattern("abandoned.jsonl +1\n")
                .containsPattern("task-events.jsonl +1\n")
                .containsPattern("alerts.jsonl +0\n")
                .containsPattern("dlq.jsonl +2\n")
                .containsPattern("skipped events +1\n");
        assertThat(Files.readAllLines(outDir.resolve(ReplayJob.TASKS))).hasSize(1);
        assertThat(Files.readAllLines(outDir.resolve(ReplayJob.DEAD_LETTERS)))
                .anySatisfy(
                        line ->
                                assertThat(line)
                                        .contains("unrecognised record")
                                        .contains("\"line\":2"))
                .anySatisfy(
                        line ->
                                assertThat(line)
                                        .contains("task_id is not a UUID")
                                        .contains("outcomes.jsonl"));
        try (var files = Files.list(outDir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(ReplayJob.FILES);
        }
    }
}
