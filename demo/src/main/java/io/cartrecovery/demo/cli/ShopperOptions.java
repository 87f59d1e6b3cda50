package io.cartrecovery.demo.cli;

import io.cartrecovery.cli.UsageProblem;
import java.time.Duration;
import java.util.Random;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.Option;

/**
 * The simulated shoppers' options, shared by {@code generate} and {@code demo}. Read as text and
 * checked here, so a bad value is one line (picocli would print the whole usage).
 */
final class ShopperOptions {
    static final int MAX_STORES = 1000;

    @Option(
            names = "--rate",
            paramLabel = "VISITS",
            description =
                    "New visits per wall-clock second, over all stores (default: ${DEFAULT-VALUE}).")
    String rate = "5";

    @Option(
            names = "--stores",
            paramLabel = "N",
            description = "Stores shop-1 to shop-N (default: ${DEFAULT-VALUE}).")
    String stores = "3";

    @Option(
            names = "--speed",
            paramLabel = "FACTOR",
            description =
                    "Simulated seconds per wall-clock second; 60 makes an hour pass in a minute"
                            + " (default: ${DEFAULT-VALUE}).")
    String speed = "1";

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            description = "How long to run, e.g. 90s, 5m, 1h (default: until Ctrl-C).")
    String duration;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "The same seed gives the same shoppers (default: random, printed).")
    String seed;

    ShopperOptions() {}

    /** The options with another --speed default, shown as such in --help (demo's). */
    static ShopperOptions withSpeed(String defaultSpeed) {
        ShopperOptions options = new ShopperOptions();
        options.speed = defaultSpeed;
        return options;
    }

    double rate() {
        return positive("--rate", rate);
    }

    double speed() {
        return positive("--speed", speed);
    }

    /** How long to run, or null: until stopped. */
    Duration duration() {
        return duration == null ? null : duration("--duration", duration);
    }

    int stores() {
        try {
            int count = Integer.parseInt(stores.strip());
            if (count >= 1 && count <= MAX_STORES) {
                return count;
            }
        } catch (NumberFormatException e) {
            // Reported below, with the valid range.
        }
        throw new UsageProblem(
                "--stores must be a whole number from 1 to "
                        + MAX_STORES
                        + ", not '"
                        + stores
                        + "'");
    }

    /** The seed given, else a random one (printed by the commands so a run can be repeated). */
    long seed() {
        if (seed == null) {
            return new Random().nextLong();
        }
        try {
            return Long.parseLong(seed.strip());
        } catch (NumberFormatException e) {
            throw new UsageProblem("--seed must be a whole number, not '" + seed + "'");
        }
    }

    static double positive(String option, String text) {
        try {
            double value = Double.parseDouble(text.strip());
            if (value > 0 && Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new UsageProblem(option + " must be a positive number, not '" + text + "'");
    }

    static Duration duration(String option, String text) {
        try {
            Duration value = TimeUtils.parseDuration(text);
            if (!value.isZero() && !value.isNegative()) {
                return value;
            }
        } catch (IllegalArgumentException e) {
            // Reported below, with examples of what works.
        }
        throw new UsageProblem(
                option + " must be a positive duration such as 90s, 5m or 2h, not '" + text + "'");
    }
}
