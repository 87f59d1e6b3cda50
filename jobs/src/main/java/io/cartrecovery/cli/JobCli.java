package io.cartrecovery.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The cluster jar's {@code cart-recovery} command: the job's own commands, for {@code flink run}, a
 * JobManager or a plain {@code java -cp}. {@code bin/cart-recovery} runs the demo module's command
 * line, which has these and the local ones (demo, generate, dialer-sim, kafka).
 */
@Command(
        name = "cart-recovery",
        mixinStandardHelpOptions = true,
        version = "cart-recovery 0.1.0",
        description = "Real-time abandoned-cart recovery on Apache Flink.",
        subcommands = {
            RunCommand.class,
            ReplayCommand.class,
            SchemaCommand.class,
            ReportCommand.class,
            CommandLine.HelpCommand.class
        })
public final class JobCli {
    public static void main(String[] args) {
        CommandLines.main(commandLine(), args);
    }

    /** Runs a command line and returns its exit code. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    private static CommandLine commandLine() {
        return CommandLines.configure(new CommandLine(new JobCli()));
    }
}
