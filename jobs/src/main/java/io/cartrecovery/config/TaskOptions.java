package io.cartrecovery.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** What a contact task promises the dialer. */
public final class TaskOptions {
    private TaskOptions() {}

    public static final ConfigOption<Duration> FIRST_CONTACT_SLA =
            ConfigOptions.key("tasks.first-contact-sla")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(30))
                    .withDescription(
                            "A task's due_by is the cart's last activity plus this: the first"
                                    + " contact target.");
}
