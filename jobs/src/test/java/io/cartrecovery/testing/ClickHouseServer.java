package io.cartrecovery.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.cartrecovery.clickhouse.ClickHouseHttp;
import io.cartrecovery.config.ClickHouseOptions;
import io.cartrecovery.config.ClickHouseSettings;
import io.cartrecovery.config.Configs;
import io.cartrecovery.demo.LocalClickHouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        private final LocalClickHouse server;
        private final String url;

        private Running(LocalClickHouse server) {
            this.server = server;
            this.url = server.url();
        }

        static Running start() {
            if (LocalClickHouse.binary().isEmpty()) {
                fail(
                        "clickhouse-server is not installed, and the ClickHouse tests need a real"
                                + " server: apt-get install -y clickhouse-server");
            }
            try {
                int[] ports = freePorts(2);
                return new Running(
                        LocalClickHouse.start(
                                Files.createTempDirectory("clickhouse-test"), ports[0], ports[1]));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start clickhouse-server", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting clickhouse-server", e);
            }
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

        @Override
        public void close() {
            server.close();
            try (Stream<Path> files = Files.walk(server.dir())) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                // A temporary folder left behind is harmless.
            }
        }
    }
}
