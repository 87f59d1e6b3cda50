package io.cartrecovery.cli;

import io.cartrecovery.config.Configs;
import io.cartrecovery.config.Secrets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Option;

/** The configuration options every subcommand takes. */
public final class SettingsMixin {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "YAML file of settings (key: value); see the list below.")
    Path configFile;

    @Option(
            names = {"-D", "--set"},
            paramLabel = "KEY=VALUE",
            description = "A setting that overrides the file, e.g. -D detection.gap=15min.")
    private final Map<String, String> overrides = new LinkedHashMap<>();

    /** The -D settings, for a command to add its own defaults to before it loads them. */
    public Map<String, String> overrides() {
        return overrides;
    }

    /**
     * The settings of the file and the command line; a credential among the command line's is
     * refused ({@link Secrets#refuseOnCommandLine}).
     */
    public Configuration load() {
        Secrets.refuseOnCommandLine(overrides);
        return Configs.load(configFile, overrides);
    }
}
