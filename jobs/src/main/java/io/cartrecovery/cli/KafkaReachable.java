package io.cartrecovery.cli;

import io.cartrecovery.config.KafkaClientProperties;
import io.cartrecovery.config.KafkaOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.AuthenticationException;

/**
 * Asks Kafka for its brokers with a short timeout before a command relies on it: no broker there is
 * one line that says what to do, in seconds, instead of a client retrying for its full timeouts.
 */
final class KafkaReachable {
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private KafkaReachable() {}

    /**
     * @param servers {@code kafka.bootstrap-servers}
     * @throws CommandFailure when no broker answers within {@link #TIMEOUT}
     */
    static void require(String servers, Properties client, Duration timeout) {
        int millis = Math.toIntExact(timeout.toMillis());
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
                    "no Kafka answers at "
                            + servers
                            + " (kafka.bootstrap-servers) within "
                            + timeout.toSeconds()
                            + " s: start Kafka there or set -D kafka.bootstrap-servers=HOST:PORT;"
                            + " to try everything on this machine, run 'bin/cart-recovery demo'");
        } finally {
            // Not waiting for requests still retrying against a broker that is not there.
            admin.close(Duration.ZERO);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "authentication failed";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
