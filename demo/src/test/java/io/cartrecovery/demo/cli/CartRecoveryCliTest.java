package io.cartrecovery.demo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.cli.JobCli;
import io.cartrecovery.testing.ConsoleCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** bin/cart-recovery's command line: the cluster jar's commands and the local ones, as before. */
class CartRecoveryCliTest {
    @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

    @Test
    void hasEveryCommandInItsOrder() {
        assertThat(new CommandLine(new CartRecoveryCli()).getSubcommands().keySet())
                .containsExactly(
                        "run",
                        "replay",
                        "generate",
                        "dialer-sim",
                        "demo",
                        "schema",
                        "kafka",
                        "report",
                        "help");
    }

    @Test
    void hasEveryCommandOfTheClusterJar() {
        assertThat(new CommandLine(new CartRecoveryCli()).getSubcommands().keySet())
                .containsAll(new CommandLine(new JobCli()).getSubcommands().keySet());
    }

    @Test
    void helpListsTheLocalCommands() {
        assertThat(CartRecoveryCli.execute("--help")).isZero();
        assertThat(console.stdout()).contains("demo", "generate", "dialer-sim", "kafka");
    }

    @Test
    void unknownCommandNamesEveryCommand() {
        assertThat(CartRecoveryCli.execute("dmeo")).isEqualTo(CartRecoveryCli.USAGE_ERROR);
        assertThat(console.stderr().strip())
                .isEqualTo(
                        "cart-recovery: unknown command 'dmeo' (commands: run, replay, generate,"
                                + " dialer-sim, demo, schema, kafka, report); see 'cart-recovery"
                                + " --help'");
    }
}
