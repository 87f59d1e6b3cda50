package io.cartrecovery.cli;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

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
    static void require(String servers, Duration timeout) {
        int millis = Math.toIntExact(timeout.toMillis());
        Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                                AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG,
                                        Math.min(millis, 1000),
                                AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG,
                                        millis));
        try {
            admin.describeCluster().nodes().get(millis, TimeUnit.MILLISECONDS);
        } catch (Exception unreachable) {
            if (unreachable instanceof InterruptedException) {
                Thread.currentThread().interrupt();
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
}
