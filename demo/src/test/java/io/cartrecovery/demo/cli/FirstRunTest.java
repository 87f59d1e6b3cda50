package io.cartrecovery.demo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.testing.ConsoleCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** What a newcomer meets first: help that agrees with itself, in every command of the full line. */
class FirstRunTest {
    @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

    /** The help text of one option: from its name to the next option's. */
    private static String optionHelp(String help, String option) {
        Matcher block =
                Pattern.compile("(?ms)^\\s+" + Pattern.quote(option) + "\\b.*?(?=^\\s+-|^$|\\z)")
                        .matcher(help);
        assertThat(block.find()).as(option + " in%n%s", help).isTrue();
        return block.group();
    }

    @Test
    void demoHelpStatesTheOneSpeedItUses() {
        assertThat(CartRecoveryCli.execute("demo", "--help")).isZero();
        String help = console.stdout();
        assertThat(optionHelp(help, "--speed=FACTOR").replaceAll("\\s+", " "))
                .contains("(default: 30)")
                .doesNotContain("default: 1)");
        assertThat(help).doesNotContain("default 30 here");
        console.reset();
        CartRecoveryCli.execute("generate", "--help");
        assertThat(optionHelp(console.stdout(), "--speed=FACTOR")).contains("(default: 1)");
    }

    @Test
    void everyOptionStatesOneDefaultAndNoDescriptionAnother() {
        List<String> problems = new ArrayList<>();
        CommandLine cli = new CommandLine(new CartRecoveryCli());
        List<CommandLine> commands = new ArrayList<>(List.of(cli));
        for (int i = 0; i < commands.size(); i++) {
            commands.addAll(commands.get(i).getSubcommands().values());
        }
        for (CommandLine command : commands) {
            String name = command.getCommandSpec().qualifiedName();
            String description =
                    String.join(" ", command.getCommandSpec().usageMessage().description());
            for (OptionSpec option : command.getCommandSpec().options()) {
                String text = String.join(" ", option.description());
                int defaults = text.split("default", -1).length - 1;
                if (defaults > 1) {
                    problems.add(name + " " + option.longestName() + ": " + text);
                }
                // The command's description naming an option's default again, as demo did.
                if (Pattern.compile(Pattern.quote(option.longestName()) + "[^.;]{0,20}default")
                        .matcher(description)
                        .find()) {
                    problems.add(name + " description: " + description);
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void demoHelpListsTheSettingsWithTheDemosOwnDefaults() {
        CartRecoveryCli.execute("demo", "--help");
        assertThat(console.stdout())
                .contains("ingest.idle-timeout (default: 5 s in the demo)")
                .contains("compliance.contact-window (default: 00:00-24:00 in the demo)")
                .contains("kafka.bootstrap-servers (set by --kafka-port in the demo)")
                .doesNotContain("ingest.idle-timeout (default: 30 s)");
    }
}
