package io.cartrecovery.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The lines a command prints while it starts, each with the time since the command began, so a
 * first run says what it is doing and what takes long: {@code [ 3.2s] Kafka ready on
 * localhost:9092}.
 */
public final class StartupSteps {
    private final PrintWriter out;
    private final long startNanos;

    public StartupSteps(PrintWriter out) {
        this(out, System.nanoTime());
    }

    StartupSteps(PrintWriter out, long startNanos) {
        this.out = out;
        this.startNanos = startNanos;
    }

    /** Prints one step, {@link String#format} style, and flushes: the next step may take long. */
    public void step(String format, Object... args) {
        out.println(line((System.nanoTime() - startNanos) / 1e9, String.format(format, args)));
        out.flush();
    }

    static String line(double seconds, String text) {
        return String.format(Locale.ROOT, "[%4.1fs] %s", seconds, text);
    }
}
