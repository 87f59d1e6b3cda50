package io.cartrecovery.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.cartrecovery.clickhouse.ClickHouseHttp;
import io.cartrecovery.config.ClickHouseOptions;
import io.cartrecovery.config.ClickHouseSettings;
import io.cartrecovery.config.Configs;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real ClickHouse server for the tests: the installed {@code clickhouse-server} (18.16 on
 * Debian), started once per test JVM with a generated configuration in a temporary folder, on free
 * ports, listening on localhost only (HTTP and native TCP; no interserver or MySQL listener), and
 * stopped when all tests are done. Each test takes a database of its own ({@link #newDatabase}).
 *
 * <p>Register it with {@code @RegisterExtension static final ClickHouseServer CLICKHOUSE = new
 * ClickHouseServer();}. Without clickhouse-server installed the tests fail, saying how to install
 * it: they are the only check that the schema and the writes work on a real server.
 */
public final class ClickHouseServer implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ClickHouseServer.class);
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private Running server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server =
                context.getRoot()
                        .getStore(NAMESPACE)
                        .getOrComputeIfAbsent(
                                Running.class, type -> Running.start(), Running.class);
    }

    /** The HTTP address, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return server.url;
    }

    /** A name for a database no other test uses (not created: {@code schema apply} does that). */
    public String newDatabase() {
        return "test_" + DATABASES.incrementAndGet();
    }

    /** Settings that point the job or a command at {@code database} on this server. */
    public Map<String, String> settings(String database) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(ClickHouseOptions.URL.key(), url());
        settings.put(ClickHouseOptions.DATABASE.key(), database);
        return settings;
    }

    public ClickHouseSettings clickHouseSettings(String database) {
        return ClickHouseSettings.from(Configs.load(null, settings(database))).orElseThrow();
    }

    /** Runs a statement over HTTP and returns the body. */
    public String execute(String database, String sql) {
        return new ClickHouseHttp(clickHouseSettings(database)).execute(database, sql);
    }

    /**
     * Runs a query over HTTP, {@code FORMAT TabSeparatedWithNames}, and returns its rows as column
     * name to value, in the server's text form ({@code \N} read as null).
     */
    public List<Map<String, String>> rows(String database, String query) {
        String body = execute(database, query + " FORMAT TabSeparatedWithNames");
        List<Map<String, String>> rows = new ArrayList<>();
        String[] lines = body.split("\n");
        String[] names = lines[0].split("\t", -1);
        for (int i = 1; i < lines.length; i++) {
            String[] fields = lines[i].split("\t", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < names.length; c++) {
                row.put(unescape(names[c]), fields[c].equals("\\N") ? null : unescape(fields[c]));
            }
            rows.add(row);
        }
        return rows;
    }

    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\' || i + 1 == field.length()) {
                out.append(c);
                continue;
            }
            char next = field.charAt(++i);
            out.append(
                    switch (next) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        case 'b' -> '\b';
                        case 'f' -> '\f';
                        case '0' -> '\0';
                        default -> next;
                    });
        }
        return out.toString();
    }

    /** The server process, shared by every test class of the JVM; closed by JUnit at the end. */
    private static final class Running implements AutoCloseable {
        private final Process process;
        private final Path dir;
        private final String url;

        private Running(Process process, Path dir, String url) {
            this.process = process;
            this.dir = dir;
            this.url = url;
        }

        static Running start() {
            Path binary = binary();
            try {
                Path dir = Files.createTempDirectory("clickhouse-test");
                int[] ports = freePorts(2);
                Files.writeString(dir.resolve("config.xml"), config(dir, ports[0], ports[1]));
                Files.writeString(dir.resolve("users.xml"), USERS);
                Process process =
                        new ProcessBuilder(
                                        binary.toString(),
                                        "--config-file=" + dir.resolve("config.xml"))
                                .directory(dir.toFile())
                                .redirectErrorStream(true)
                                .redirectOutput(dir.resolve("stdout.log").toFile())
                                .start();
                Running running = new Running(process, dir, "http://127.0.0.1:" + ports[0]);
                running.awaitReady();
                return running;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + binary, e);
            }
        }

        private static Path binary() {
            List<Path> candidates = new ArrayList<>();
            String path = System.getenv().getOrDefault("PATH", "");
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    candidates.add(Path.of(entry, "clickhouse-server"));
                }
            }
            candidates.add(Path.of("/usr/sbin/clickhouse-server"));
            candidates.add(Path.of("/usr/bin/clickhouse-server"));
            return candidates.stream()
                    .filter(Files::isExecutable)
                    .findFirst()
                    .orElseGet(
                            () ->
                                    fail(
                                            "clickhouse-server is not installed, and the ClickHouse"
                                                    + " tests need a real server: apt-get install -y"
                                                    + " clickhouse-server"));
        }

        private static int[] freePorts(int count) throws IOException {
            // All open at once, so the same port is not handed out twice.
            List<ServerSocket> sockets = new ArrayList<>();
            try {
                int[] ports = new int[count];
                for (int i = 0; i < count; i++) {
                    ServerSocket socket = new ServerSocket(0);
                    sockets.add(socket);
                    ports[i] = socket.getLocalPort();
                }
                return ports;
            } finally {
                for (ServerSocket socket : sockets) {
                    socket.close();
                }
            }
        }

        private void awaitReady() {
            HttpClient client =
                    HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            HttpRequest ping =
                    HttpRequest.newBuilder(URI.create(url + "/ping"))
                            .timeout(Duration.ofSeconds(2))
                            .build();
            Instant end = Instant.now().plus(STARTUP);
            while (Instant.now().isBefore(end)) {
                if (!process.isAlive()) {
                    String tail = logTail();
                    close();
                    fail("clickhouse-server exited at startup: " + tail);
                }
                try {
                    if (client.send(ping, HttpResponse.BodyHandlers.ofString()).statusCode()
                            == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // Not listening yet.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                sleep(100);
            }
            String tail = logTail();
            close();
            fail("clickhouse-server did not answer within " + STARTUP + ": " + tail);
        }

        private String logTail() {
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

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
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
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                // A temporary folder left behind is harmless.
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
}
