package io.cartrecovery.cli;

import io.cartrecovery.clickhouse.ClickHouseException;
import io.cartrecovery.config.ConfigException;
import io.cartrecovery.config.Configs;
import io.cartrecovery.launch.LocalRunException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
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
            DialerSimCommand.class,
            DemoCommand.class,
            SchemaCommand.class,
            KafkaCommand.class,
            ReportCommand.class,
            CommandLine.HelpCommand.class
        })
public final class CartRecoveryCli {
    static final int FAILURE = 1;
    static final int USAGE_ERROR = 2;

    public static void main(String[] args) {
        if (StreamExecutionEnvironment.areExplicitEnvironmentsAllowed()) {
            System.exit(execute(args));
        }
        // Submitted to Flink (`flink run`, a jar run through the REST API or web UI, application
        // mode): main runs inside a Flink process, in the last two the JobManager, which exiting
        // would take down. Flink reports a failed main by its exception.
        StringWriter err = new StringWriter();
        CommandLine cli = commandLine();
        cli.setErr(new PrintWriter(err, true));
        int exitCode = cli.execute(args);
        if (exitCode != 0) {
            throw new CommandFailure(err.toString().strip());
        }
    }

    /** Runs a command line and returns its exit code. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    private static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new CartRecoveryCli());
        cli.getCommandSpec().usageMessage().footer(settingsFooter(Map.of()));
        // Each command that takes settings lists them, with its own defaults where it has any.
        settingsFooters(cli);
        // Everything after the tool's name is the tool's, options included.
        cli.getSubcommands().get("kafka").setStopAtPositional(true);
        // A mistyped command or option is one line that says what to do, not picocli's usage
        // dump: the full help is a --help away.
        cli.setParameterExceptionHandler(
                (e, args) -> {
                    CommandLine failed = e.getCommandLine();
                    String help =
                            failed == failed.getCommandSpec().root().commandLine()
                                    ? "cart-recovery --help"
                                    : "cart-recovery " + failed.getCommandName() + " --help";
                    String problem =
                            e instanceof CommandLine.UnmatchedArgumentException unmatched
                                            && failed.getSubcommands().size() > 1
                                            && !unmatched.getUnmatched().isEmpty()
                                            && !unmatched.getUnmatched().get(0).startsWith("-")
                                    ? "unknown command '"
                                            + unmatched.getUnmatched().get(0)
                                            + "' (commands: "
                                            + String.join(
                                                    ", ",
                                                    failed.getSubcommands().keySet().stream()
                                                            .filter(name -> !name.equals("help"))
                                                            .toList())
                                            + ")"
                                    : e.getMessage();
                    failed.getErr().println("cart-recovery: " + problem + "; see '" + help + "'");
                    return USAGE_ERROR;
                });
        cli.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    Throwable cause = e;
                    if (cause instanceof ConfigException
                            || cause instanceof UsageProblem
                            || cause instanceof ClickHouseException) {
                        commandLine.getErr().println("cart-recovery: " + cause.getMessage());
                        return USAGE_ERROR;
                    }
                    if (cause instanceof CommandFailure || cause instanceof LocalRunException) {
                        commandLine.getErr().println("cart-recovery: " + cause.getMessage());
                        return FAILURE;
                    }
                    throw e;
                });
        return cli;
    }

    private static void settingsFooters(CommandLine command) {
        for (CommandLine sub : command.getSubcommands().values()) {
            if (sub.getCommandSpec().findOption("--config") != null) {
                sub.getCommandSpec()
                        .usageMessage()
                        .footer(
                                settingsFooter(
                                        sub.getCommand() instanceof DemoCommand
                                                ? DemoCommand.SETTING_DEFAULTS
                                                : Map.of()));
            }
            settingsFooters(sub);
        }
    }

    /**
     * The settings and their defaults; {@code defaults} replaces the default of a setting the
     * command sets itself (key to "default: what it sets"), so its help states the one default that
     * applies.
     */
    static String settingsFooter(Map<String, String> defaults) {
        String settings = Configs.describe();
        for (Map.Entry<String, String> own : defaults.entrySet()) {
            settings =
                    settings.replaceFirst(
                            "(?m)^  " + Pattern.quote(own.getKey()) + "( \\(default: [^\n]*\\))?$",
                            Matcher.quoteReplacement(
                                    "  " + own.getKey() + " (" + own.getValue() + ")"));
        }
        return "%nSettings (--config FILE or -D KEY=VALUE):%n" + settings.replace("%", "%%");
    }
}
