package io.cartrecovery.testing;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A current ClickHouse for the tests: the ClickHouse engine of npm {@code chdb} (the version {@code
 * jobs/src/test/node/package.json} pins; chdb 3.4.0 is ClickHouse 26.7) behind {@code
 * chdb-http.js}, a small HTTP front that speaks the part of ClickHouse's HTTP interface our clients
 * use. Not a ClickHouse server: one in-process engine, statements run one at a time, no users or
 * settings; enough to check that the schema and the boards' SQL run, and agree, on a current
 * release as on {@link ClickHouseServer}'s 18.16.
 *
 * <p>The npm package (about 550 MB unpacked) is installed once with {@code npm install} (versions
 * from {@code package-lock.json}) into {@code $XDG_CACHE_HOME/cart-recovery/chdb-VERSION} (default
 * {@code ~/.cache}), outside the repository, and reused while {@code package.json} and {@code
 * package-lock.json} are unchanged. The front runs once per test JVM, on a free port, over a
 * temporary data folder, and is stopped when all tests are done. Without {@code node} and {@code
 * npm} the tests fail, saying how to install them.
 */
public final class CurrentClickHouse implements TestClickHouse, BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(CurrentClickHouse.class);
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final Duration INSTALL = Duration.ofMinutes(10);
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final int MIN_NODE_MAJOR = 18;

    private Running front;

    @Override
    public void beforeAll(ExtensionContext context) {
        front =
                context.getRoot()
                        .getStore(NAMESPACE)
                        .getOrComputeIfAbsent(
                                Running.class, type -> Running.start(), Running.class);
    }

    @Override
    public String url() {
        return front.url;
    }

    @Override
    public String newDatabase() {
        return "test_" + DATABASES.incrementAndGet();
    }

    /** The engine's version, e.g. {@code 26.7.2.1}. */
    public String version() {
        return execute("default", "SELECT version()").strip();
    }

    /** The front's process, shared by every test class of the JVM; closed by JUnit at the end. */
    private static final class Running implements AutoCloseable {
        private final Process process;
        private final Path dir;
        private final String url;
        private final Deque<String> output;

        private Running(Process process, Path dir, String url, Deque<String> output) {
            this.process = process;
            this.dir = dir;
            this.url = url;
            this.output = output;
        }

        static Running start() {
            Path node = onPath("node");
            Path npm = onPath("npm");
            requireNodeVersion(node);
            Path sources = sources();
            Path modules = install(npm, sources);
            try {
                Path dir = Files.createTempDirectory("chdb-test");
                ProcessBuilder builder =
                        new ProcessBuilder(
                                        node.toString(),
                                        sources.resolve("chdb-http.js").toString(),
                                        "0",
                                        dir.resolve("data").toString())
                                .directory(dir.toFile())
                                .redirectErrorStream(true);
                builder.environment().put("NODE_PATH", modules.toString());
                // As ClickHouseServer's configuration: times print in UTC on both.
                builder.environment().put("TZ", "UTC");
                // stdin stays an open pipe: the front exits when it closes, with this JVM.
                Process process = builder.start();
                Deque<String> output = new ArrayDeque<>();
                CompletableFuture<Integer> port = new CompletableFuture<>();
                Thread reader = new Thread(() -> read(process, output, port), "chdb-http output");
                reader.setDaemon(true);
                reader.start();
                Running running = null;
                try {
                    int listening = port.get(STARTUP.toSeconds(), TimeUnit.SECONDS);
                    running = new Running(process, dir, "http://127.0.0.1:" + listening, output);
                    running.awaitPing();
                    return running;
                } catch (TimeoutException | ExecutionException | RuntimeException e) {
                    String tail = tail(output);
                    if (running != null) {
                        running.close();
                    } else {
                        process.destroyForcibly();
                    }
                    throw new IllegalStateException(
                            "chdb-http.js did not start within " + STARTUP + ": " + tail, e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start chdb-http.js", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting chdb-http.js", e);
            }
        }

        /** Keeps the front's last lines for errors, and hands over the port it listens on. */
        private static void read(
                Process process, Deque<String> output, CompletableFuture<Integer> port) {
            Pattern listening = Pattern.compile("listening (\\d+)");
            try (BufferedReader lines =
                    new BufferedReader(
                            new InputStreamReader(
                                    process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    Matcher m = listening.matcher(line);
                    if (!port.isDone() && m.matches()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                    synchronized (output) {
                        output.addLast(line);
                        if (output.size() > 20) {
                            output.removeFirst();
                        }
                    }
                }
            } catch (IOException e) {
                // The process is gone; what it said is in output.
            }
            port.completeExceptionally(
                    new IllegalStateException("chdb-http.js exited before it listened"));
        }

        private static String tail(Deque<String> output) {
            synchronized (output) {
                return output.isEmpty() ? "(no output)" : String.join(" | ", output);
            }
        }

        private void awaitPing() throws InterruptedException {
            HttpClient client =
                    HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            HttpRequest ping =
                    HttpRequest.newBuilder(URI.create(url + "/ping"))
                            .timeout(Duration.ofSeconds(2))
                            .build();
            Instant end = Instant.now().plus(STARTUP);
            while (Instant.now().isBefore(end) && process.isAlive()) {
                try {
                    if (client.send(ping, HttpResponse.BodyHandlers.ofString()).statusCode()
                            == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // Not answering yet.
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("no answer on " + url + "/ping");
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                // A temporary folder left behind is harmless.
            }
        }
    }

    private static Path onPath(String program) {
        Optional<Path> found =
                Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                        .filter(entry -> !entry.isEmpty())
                        .map(entry -> Path.of(entry, program))
                        .filter(Files::isExecutable)
                        .findFirst();
        if (found.isEmpty()) {
            fail(
                    program
                            + " is not on the PATH, and the current-ClickHouse tests need node and"
                            + " npm to run ClickHouse 26.7 (chdb): apt-get install -y nodejs npm");
        }
        return found.get();
    }

    private static void requireNodeVersion(Path node) {
        String version = run(List.of(node.toString(), "--version"), null, Duration.ofSeconds(30));
        Matcher major = Pattern.compile("v(\\d+)\\.").matcher(version.strip());
        if (!major.lookingAt() || Integer.parseInt(major.group(1)) < MIN_NODE_MAJOR) {
            fail(
                    "chdb needs node "
                            + MIN_NODE_MAJOR
                            + " or later, and "
                            + node
                            + " is "
                            + version.strip());
        }
    }

    /** The folder of chdb-http.js and its package files, found above the working directory. */
    private static Path sources() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("jobs/src/test/node");
            if (Files.isRegularFile(candidate.resolve("chdb-http.js"))) {
                return candidate;
            }
        }
        throw new AssertionError("no jobs/src/test/node above " + Path.of("").toAbsolutePath());
    }

    /**
     * Installs the pinned packages into the cache unless the same lock file was installed there
     * before; returns their {@code node_modules}. A file lock keeps two test JVMs from installing
     * at once.
     */
    private static Path install(Path npm, Path sources) {
        try {
            byte[] manifest = Files.readAllBytes(sources.resolve("package.json"));
            byte[] lock = Files.readAllBytes(sources.resolve("package-lock.json"));
            String chdb =
                    new ObjectMapper().readTree(manifest).get("dependencies").get("chdb").asText();
            Path cache = cacheRoot().resolve("chdb-" + chdb);
            Files.createDirectories(cache);
            String stamp = sha256(manifest, lock);
            Path installed = cache.resolve("installed.sha256");
            try (FileChannel channel =
                    FileChannel.open(
                            cache.resolve(".lock"),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE)) {
                // Released when the channel closes.
                channel.lock();
                if (Files.isRegularFile(installed)
                        && Files.readString(installed).equals(stamp)
                        && Files.isDirectory(cache.resolve("node_modules/chdb"))) {
                    return cache.resolve("node_modules");
                }
                Files.deleteIfExists(installed);
                for (String file : List.of("package.json", "package-lock.json")) {
                    Files.copy(
                            sources.resolve(file),
                            cache.resolve(file),
                            StandardCopyOption.REPLACE_EXISTING);
                }
                System.err.printf("Installing npm chdb %s into %s (once)%n", chdb, cache);
                long start = System.nanoTime();
                // install, not ci: the lock holds only the platform it was made on (chdb's
                // engine comes in one optional package per platform), which ci calls out of sync.
                // No scripts: chdb's is a no-op, and its native parts come prebuilt.
                run(
                        List.of(
                                npm.toString(),
                                "install",
                                "--no-audit",
                                "--no-fund",
                                "--ignore-scripts",
                                "--loglevel=error"),
                        cache,
                        INSTALL);
                System.err.printf(
                        "Installed npm chdb %s in %d s%n",
                        chdb, Duration.ofNanos(System.nanoTime() - start).toSeconds());
                Files.writeString(installed, stamp);
                return cache.resolve("node_modules");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install npm chdb", e);
        }
    }

    private static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base =
                xdg != null && !xdg.isBlank()
                        ? Path.of(xdg)
                        : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("cart-recovery");
    }

    private static String sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command to its end; fails with its last output line unless it exits with 0. */
    private static String run(List<String> command, Path dir, Duration timeout) {
        try {
            Path log = Files.createTempFile("chdb-command", ".log");
            try {
                ProcessBuilder builder =
                        new ProcessBuilder(command)
                                .redirectErrorStream(true)
                                .redirectOutput(log.toFile());
                if (dir != null) {
                    builder.directory(dir.toFile());
                }
                Process process = builder.start();
                process.getOutputStream().close();
                if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    fail(String.join(" ", command) + " did not finish within " + timeout);
                }
                String output = Files.readString(log);
                if (process.exitValue() != 0) {
                    // npm ends with where its log is: the first error line says more.
                    List<String> lines = output.strip().lines().toList();
                    String reason =
                            lines.stream()
                                    .filter(l -> l.toLowerCase(Locale.ROOT).contains("err"))
                                    .findFirst()
                                    .orElse(
                                            lines.isEmpty()
                                                    ? "no output"
                                                    : lines.get(lines.size() - 1));
                    fail(
                            String.join(" ", command)
                                    + (dir == null ? "" : " in " + dir)
                                    + " failed (exit "
                                    + process.exitValue()
                                    + "): "
                                    + reason);
                }
                return output;
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }
}
