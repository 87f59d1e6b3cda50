package io.cartrecovery.outcomes;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a contact attempt achieved, as the dialer or messaging system reports it (docs/outcomes.md).
 */
public enum OutcomeCode {
    NO_ANSWER(false, false),
    VOICEMAIL(false, false),
    BUSY(false, false),
    REACHED_INTERESTED(true, true),
    REACHED_NOT_INTERESTED(true, true),
    /** Needs {@code callback_at}. */
    CALLBACK_REQUESTED(true, true),
    PROMISED_TO_BUY(true, true),
    WRONG_NUMBER(false, false),
    DO_NOT_CONTACT(true, true),
    DELIVERED(false, false),
    READ(true, false),
    REPLIED(true, true),
    BOUNCED(false, false);

    private static final Map<String, OutcomeCode> BY_WIRE_NAME =
            Arrays.stream(values())
                    .collect(Collectors.toMap(OutcomeCode::wireName, Function.identity()));

    private final boolean reached;
    private final boolean responded;

    OutcomeCode(boolean reached, boolean responded) {
        this.reached = reached;
        this.responded = responded;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The shopper was reached: talked to, or read a message. Only such attempts are credited with a
     * recovery.
     */
    public boolean reached() {
        return reached;
    }

    /** The shopper answered (spoke, replied). */
    public boolean responded() {
        return responded;
    }

    public static Optional<OutcomeCode> fromWireName(String name) {
        return Optional.ofNullable(BY_WIRE_NAME.get(name));
    }
}
