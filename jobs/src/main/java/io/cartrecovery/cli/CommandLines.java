package io.cartrecovery.cli;

import io.cartrecovery.clickhouse.ClickHouseException;
import io.cartrecovery.config.Configs;
import io.cartrecovery.settings.ConfigException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;

/**
 * What every {@code cart-recovery} command line shares, the cluster jar's ({@link JobCli}) and the
 * full one of {@code bin/cart-recovery} (the demo module's): settings listed in the help, one-line
 * errors with their exit codes, and a main that does not exit a Flink process.
 */
public final class CommandLines {
    public static final int FAILURE = 1;
    public static final int USAGE_ERROR = 2;

    private CommandLines() {}

    /** A command that sets some settings itself, so its help states the default that applies. */
    public interface OwnSettingDefaults {
        /** Setting key to "default: what the command sets". */
        Map<String, String> settingDefaults();
    }

    /**
     * Runs a command line as a program's main: exits with its code, or, submitted to Flink, reports
     * a failure by an exception.
     */
    public static void main(CommandLine cli, String[] args) {
        if (StreamExecutionEnvironment.areExplicitEnvironmentsAllowed()) {
            System.exit(cli.execute(args));
        }
        // Submitted to Flink (`flink run`, a jar run through the REST API or web UI, application
        // mode): main runs inside a Flink process, in the last two the JobManager, which exiting
        // would take down. Flink reports a failed main by its exception.
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        int exitCode = cli.execute(args);
        if (exitCode != 0) {
            throw new CommandFailure(err.toString().strip());
        }
    }

    /**
     * Sets up a {@code cart-recovery} command line: the settings in the help, one-line errors.
     *
     * @param failures more exceptions that a command reports as a one-line failure (exit code 1)
     */
    @SafeVarargs
    public static CommandLine configure(
            CommandLine cli, Class<? extends RuntimeException>... failures) {
        cli.getCommandSpec().usageMessage().footer(settingsFooter(Map.of()));
        // Each command that takes settings lists them, with its own defaults where it has any.
        settingsFooters(cli);
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
        List<Class<? extends RuntimeException>> moreFailures = new ArrayList<>();
        for (Class<? extends RuntimeException> failure : failures) {
            moreFailures.add(failure);
        }
        cli.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    Throwable cause = e;
                    if (cause instanceof ConfigException
                            || cause instanceof UsageProblem
                            || cause instanceof ClickHouseException) {
                        commandLine.getErr().println("cart-recovery: " + cause.getMessage());
                        return USAGE_ERROR;
                    }
                    if (cause instanceof CommandFailure
                            || moreFailures.stream().anyMatch(type -> type.isInstance(cause))) {
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
                                        sub.getCommand() instanceof OwnSettingDefaults own
                                                ? own.settingDefaults()
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
