package io.cartrecovery.cli;

import io.cartrecovery.clickhouse.ClickHouseException;
import io.cartrecovery.config.ConfigException;
import io.cartrecovery.config.Configs;
import io.cartrecovery.demo.DemoException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cart-recovery} command. */
@Command(
        name = "cart-recovery",
        mixinStandardHelpOptions = true,
        version = "cart-recovery 0.1.0",
        description = "Real-time abandoned-cart recovery on Apache Flink.",
        subcommands = {
            RunCommand.class,
            ReplayCommand.class,
            GenerateCommand.class,
            DemoCommand.class,
            SchemaCommand.class,
            CommandLine.HelpCommand.class
        })
public final class CartRecoveryCli {
    static final int FAILURE = 1;
    static final int USAGE_ERROR = 2;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code. */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new CartRecoveryCli());
        String footer =
                "%nSettings (--config FILE or -D KEY=VALUE):%n"
                        + Configs.describe().replace("%", "%%");
        cli.getCommandSpec().usageMessage().footer(footer);
        cli.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    Throwable cause = e;
                    if (cause instanceof ConfigException
                            || cause instanceof UsageProblem
                            || cause instanceof ClickHouseException) {
                        commandLine.getErr().println("cart-recovery: " + cause.getMessage());
                        return USAGE_ERROR;
                    }
                    if (cause instanceof CommandFailure || cause instanceof DemoException) {
                        commandLine.getErr().println("cart-recovery: " + cause.getMessage());
                        return FAILURE;
                    }
                    throw e;
                });
        return cli.execute(args);
    }
}
