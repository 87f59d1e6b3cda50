package io.cartrecovery.report;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Prints the report's page to PDF with headless Chromium (Debian's {@code chromium}), after its
 * scripts ran and drew the charts. Chromium reaches nothing but the file: the page is
 * self-contained, and background networking, updates and sync are off.
 */
public final class ChromiumPdf {
    private static final long TIMEOUT_SECONDS = 120;

    private ChromiumPdf() {}

    /** The browser: {@code /usr/bin/chromium}, else {@code chromium} on the PATH. */
    public static Optional<Path> find() {
        Path debian = Path.of("/usr/bin/chromium");
        if (Files.isExecutable(debian)) {
            return Optional.of(debian);
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                for (String name : List.of("chromium", "chromium-browser")) {
                    Path candidate = Path.of(dir, name);
                    if (Files.isExecutable(candidate)) {
                        return Optional.of(candidate);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The flags every headless run takes: no sandbox (root), GPU, network chatter or profile. */
    public static List<String> headless(Path chromium, Path profile) {
        return List.of(
                chromium.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile);
    }

    /**
     * Prints {@code html} to {@code pdf}.
     *
     * @throws IOException when Chromium fails, takes over two minutes, or writes no PDF; the
     *     message says why in one line
     */
    public static void print(Path chromium, Path html, Path pdf) throws IOException {
        Path profile = Files.createTempDirectory("cart-recovery-chromium");
        Path log = profile.resolve("chromium.log");
        try {
            Files.deleteIfExists(pdf);
            List<String> command = new ArrayList<>(headless(chromium, profile.resolve("profile")));
            command.addAll(
                    List.of(
                            "--no-pdf-header-footer",
                            "--virtual-time-budget=10000",
                            "--print-to-pdf=" + pdf.toAbsolutePath(),
                            html.toAbsolutePath().toUri().toString()));
            Process process =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
            boolean ended;
            try {
                ended = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while Chromium printed the PDF");
            }
            if (!ended) {
                process.destroyForcibly();
                throw new IOException(
                        "Chromium did not print the PDF within " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0 || !Files.isRegularFile(pdf) || Files.size(pdf) == 0) {
                throw new IOException(
                        "Chromium printed no PDF (exit code "
                                + process.exitValue()
                                + "): "
                                + lastLine(log));
            }
        } finally {
            deleteTree(profile);
        }
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines =
                    Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1).strip();
        } catch (IOException e) {
            return "no output";
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A temporary profile left behind is harmless.
        }
    }
}
