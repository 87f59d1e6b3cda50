package io.cartrecovery.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** What dead letters keep of the records they reject. */
public final class DeadLetterOptions {
    private DeadLetterOptions() {}

    public static final ConfigOption<Boolean> MASK_PERSONAL_DATA =
            ConfigOptions.key("dead-letters.mask-personal-data")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Mask the personal fields (name, email, phone, notes) of rejected"
                                    + " customer profiles and contact outcomes in their dead"
                                    + " letters, which are then marked payload_masked and no longer"
                                    + " hold the exact bytes; one that cannot be read as JSON keeps"
                                    + " no payload at all. Off by default: a dead letter is for"
                                    + " fixing and replaying the exact record, and the dead-letter"
                                    + " topic is readable only by those who may see customer data"
                                    + " (docs/security.md).");
}
