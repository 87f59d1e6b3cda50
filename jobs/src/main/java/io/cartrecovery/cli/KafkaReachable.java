package io.cartrecovery.cli;

import io.cartrecovery.config.KafkaClientProperties;
import io.cartrecovery.config.KafkaOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.utils.Utils;

/**
 * Asks Kafka for its brokers before a command relies on it: no broker there is one line that says
 * what to do, in seconds, instead of a client retrying for its full timeouts. "Not there" means
 * that nothing accepts a connection at any bootstrap address within {@link #TIMEOUT}; a broker that
 * accepts one has {@link #ANSWER_TIMEOUT} to answer, so that a busy broker (or a busy JobManager
 * running the job's main method, as when a job is resumed from a savepoint on a loaded cluster) is
 * not taken for an absent one.
 */
final class KafkaReachable {
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    /** How long a broker that accepts connections has to describe its cluster. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);

    private KafkaReachable() {}

    /**
     * @param servers {@code kafka.bootstrap-servers}
     * @param timeout how long a connection may take before the servers count as not there
     * @throws CommandFailure when nothing accepts a connection within {@code timeout}, or a broker
     *     that does answers nothing within {@link #ANSWER_TIMEOUT}
     */
    static void require(String servers, Properties client, Duration timeout) {
        if (!anyAcceptsConnections(servers, timeout)) {
            throw notThere(servers, timeout);
        }
        Duration answer = timeout.compareTo(ANSWER_TIMEOUT) > 0 ? timeout : ANSWER_TIMEOUT;
        int millis = Math.toIntExact(answer.toMillis());
        Admin admin =
                Admin.create(
                        KafkaClientProperties.with(
                                client,
                                Map.of(
                                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                                        AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG,
                                                Math.min(millis, 1000),
                                        AdminClientConfig
                                                        .SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG,
                                                millis)));
        try {
            admin.describeCluster().nodes().get(millis, TimeUnit.MILLISECONDS);
        } catch (Exception unreachable) {
            if (unreachable instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            for (Throwable t = unreachable; t != null; t = t.getCause()) {
                if (t instanceof AuthenticationException) {
                    // Kafka's own message names the mechanism, never the credentials.
                    throw new CommandFailure(
                            "Kafka at "
                                    + servers
                                    + " refused the job's credentials ("
                                    + KafkaOptions.PROPERTIES_FILE.key()
                                    + "): "
                                    + firstLine(t.getMessage()));
                }
            }
            throw new CommandFailure(
                    "Kafka at "
                            + servers
                            + " (kafka.bootstrap-servers) accepts connections but described no"
                            + " cluster within "
                            + answer.toSeconds()
                            + " s: is it a Kafka broker, and does "
                            + KafkaOptions.PROPERTIES_FILE.key()
                            + " name its listener's security protocol?");
        } finally {
            // Not waiting for requests still retrying against a broker that is not there.
            admin.close(Duration.ZERO);
        }
    }

    private static CommandFailure notThere(String servers, Duration timeout) {
        return new CommandFailure(
                "no Kafka answers at "
                        + servers
                        + " (kafka.bootstrap-servers) within "
                        + timeout.toSeconds()
                        + " s: start Kafka there or set -D kafka.bootstrap-servers=HOST:PORT;"
                        + " to try everything on this machine, run 'bin/cart-recovery demo'");
    }

    /**
     * Whether a TCP connection to one of the bootstrap addresses succeeds within {@code timeout}.
     * An address that cannot be read as {@code host:port} counts as accepting: the Kafka client
     * then says what is wrong with it.
     */
    static boolean anyAcceptsConnections(String servers, Duration timeout) {
        int millis = Math.toIntExact(timeout.toMillis());
        for (String server : servers.split(",")) {
            String address = server.strip();
            String host = Utils.getHost(address);
            Integer port = Utils.getPort(address);
            if (host == null || port == null) {
                return true;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), millis);
                return true;
            } catch (IOException | IllegalArgumentException notThere) {
                // Try the next address.
            }
        }
        return false;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "authentication failed";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
