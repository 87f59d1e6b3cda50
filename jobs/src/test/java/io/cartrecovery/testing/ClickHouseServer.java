package io.cartrecovery.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.cartrecovery.launch.LocalClickHouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
public final class ClickHouseServer implements TestClickHouse, BeforeAllCallback {
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

    @Override
    public String url() {
        return server.url;
    }

    @Override
    public String newDatabase() {
        return "test_" + DATABASES.incrementAndGet();
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
