package io.cartrecovery.demo.cli;

import io.cartrecovery.cli.CommandLines;
import io.cartrecovery.cli.ReplayCommand;
import io.cartrecovery.cli.ReportCommand;
import io.cartrecovery.cli.RunCommand;
import io.cartrecovery.cli.SchemaCommand;
import io.cartrecovery.launch.LocalRunException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cart-recovery} command of {@code bin/cart-recovery}: the job's commands (as in the
 * cluster jar's {@link io.cartrecovery.cli.JobCli}) and the local ones: the demo, the generators,
 * the simulated dialer and Kafka's tools.
 */
@Command(
        name = "cart-recovery",
        mixinStandardHelpOptions = true,
        version = "cart-recovery 0.1.0",
        description = "Real-time abandoned-cart recovery on Apache Flink.",
        subcommands = {
            RunCommand.class,
            ReplayCommand.class,
            GenerateCommand.class,
            DialerSimCommand.class,
            DemoCommand.class,
            SchemaCommand.class,
            KafkaCommand.class,
            ReportCommand.class,
            CommandLine.HelpCommand.class
        })
public final class CartRecoveryCli {
    static final int FAILURE = CommandLines.FAILURE;
    static final int USAGE_ERROR = CommandLines.USAGE_ERROR;

    public static void main(String[] args) {
        CommandLines.main(commandLine(), args);
    }

    /** Runs a command line and returns its exit code. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli =
                CommandLines.configure(
                        new CommandLine(new CartRecoveryCli()), LocalRunException.class);
        // Everything after the tool's name is the tool's, options included.
        cli.getSubcommands().get("kafka").setStopAtPositional(true);
        return cli;
    }
}
