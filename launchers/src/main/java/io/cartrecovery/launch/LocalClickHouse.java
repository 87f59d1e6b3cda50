package io.cartrecovery.launch;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real ClickHouse server for local runs and tests: the installed {@code clickhouse-server}
 * started as a child process with a generated configuration in a folder of the caller's, listening
 * on localhost only (HTTP and native TCP), with a password-less {@code default} user reachable from
 * localhost alone. Works with Debian's 18.16 and with current releases (the configuration uses only
 * settings both know).
 */
public final class LocalClickHouse implements AutoCloseable {
    /** Long enough for a restart on a loaded machine; no cost when the server is quick. */
    private static final Duration STARTUP = Duration.ofMinutes(3);

    private final Process process;
    private final Path dir;
    private final String url;

    private LocalClickHouse(Process process, Path dir, String url) {
        this.process = process;
        this.dir = dir;
        this.url = url;
    }

    /** The installed server binary, if any: on the PATH or where Debian's package puts it. */
    public static Optional<Path> binary() {
        List<Path> candidates = new ArrayList<>();
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                candidates.add(Path.of(entry, "clickhouse-server"));
            }
        }
        candidates.add(Path.of("/usr/sbin/clickhouse-server"));
        candidates.add(Path.of("/usr/bin/clickhouse-server"));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /**
     * Starts the server and waits until it answers.
     *
     * @param dir where the server keeps its configuration, data and logs
     * @throws LocalRunException when the server is not installed, exits or does not answer in time
     */
    public static LocalClickHouse start(Path dir, int httpPort, int tcpPort)
            throws IOException, InterruptedException {
        return start(dir, httpPort, tcpPort, Map.of(), Map.of());
    }

    /**
     * Starts the server with more users, and waits until it answers.
     *
     * @param usersFiles files for the server's {@code users.d/} (name to XML), merged over the
     *     built-in users (a password-less {@code default} from localhost)
     * @param environment variables of the server process, e.g. the passwords the users files read
     *     with {@code from_env}
     */
    public static LocalClickHouse start(
            Path dir,
            int httpPort,
            int tcpPort,
            Map<String, String> usersFiles,
            Map<String, String> environment)
            throws IOException, InterruptedException {
        Path binary =
                binary().orElseThrow(
                                () ->
                                        new LocalRunException(
                                                "clickhouse-server is not installed: apt-get"
                                                        + " install -y clickhouse-server"));
        LocalKafka.requireFree(httpPort, "ClickHouse HTTP");
        LocalKafka.requireFree(tcpPort, "ClickHouse native");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.xml"), config(dir, httpPort, tcpPort));
        Files.writeString(dir.resolve("users.xml"), USERS);
        if (!usersFiles.isEmpty()) {
            Path usersD = Files.createDirectories(dir.resolve("users.d"));
            for (Map.Entry<String, String> file : usersFiles.entrySet()) {
                Files.writeString(usersD.resolve(file.getKey()), file.getValue());
            }
        }
        ProcessBuilder builder =
                new ProcessBuilder(binary.toString(), "--config-file=" + dir.resolve("config.xml"))
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("stdout.log").toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        LocalClickHouse server = new LocalClickHouse(process, dir, "http://127.0.0.1:" + httpPort);
        try {
            server.awaitReady();
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The HTTP address, e.g. {@code http://127.0.0.1:8123}. */
    public String url() {
        return url;
    }

    public Path dir() {
        return dir;
    }

    private void awaitReady() throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ping =
                HttpRequest.newBuilder(URI.create(url + "/ping"))
                        .timeout(Duration.ofSeconds(2))
                        .build();
        Instant end = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(end)) {
            if (!process.isAlive()) {
                throw new LocalRunException("clickhouse-server exited at start: " + logTail());
            }
            try {
                if (client.send(ping, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(100);
        }
        throw new LocalRunException(
                "clickhouse-server did not answer within " + STARTUP + ": " + logTail());
    }

    /** The last lines of the server's logs, for a start-up failure. */
    public String logTail() {
        try (Stream<Path> logs = Files.list(dir)) {
            StringBuilder tail = new StringBuilder();
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                List<String> lines = Files.readAllLines(log);
                tail.append(log.getFileName())
                        .append(": ")
                        .append(
                                String.join(
                                        "\n",
                                        lines.subList(
                                                Math.max(0, lines.size() - 20), lines.size())))
                        .append('\n');
            }
            return tail.toString();
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String config(Path dir, int httpPort, int tcpPort) {
        return """
                <?xml version="1.0"?>
                <yandex>
                  <logger>
                    <level>warning</level>
                    <log>%1$s/server.log</log>
                    <errorlog>%1$s/server.err.log</errorlog>
                    <console>0</console>
                  </logger>
                  <listen_host>127.0.0.1</listen_host>
                  <http_port>%2$d</http_port>
                  <tcp_port>%3$d</tcp_port>
                  <path>%1$s/data/</path>
                  <tmp_path>%1$s/tmp/</tmp_path>
                  <user_files_path>%1$s/user_files/</user_files_path>
                  <format_schema_path>%1$s/format_schemas/</format_schema_path>
                  <users_config>users.xml</users_config>
                  <default_profile>default</default_profile>
                  <default_database>default</default_database>
                  <timezone>UTC</timezone>
                  <mark_cache_size>67108864</mark_cache_size>
                  <uncompressed_cache_size>67108864</uncompressed_cache_size>
                </yandex>
                """
                .formatted(dir, httpPort, tcpPort);
    }

    private static final String USERS =
            """
            <?xml version="1.0"?>
            <yandex>
              <profiles><default/></profiles>
              <users>
                <default>
                  <password></password>
                  <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
                  <profile>default</profile>
                  <quota>default</quota>
                </default>
              </users>
              <quotas><default/></quotas>
            </yandex>
            """;
}
