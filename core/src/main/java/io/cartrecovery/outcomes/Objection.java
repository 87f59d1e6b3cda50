package io.cartrecovery.outcomes;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Why a reached shopper hesitates, as a category (free text goes to notes, never to facts). */
public enum Objection {
    SHIPPING_COST,
    PRICE,
    PAYMENT,
    TRUST,
    TECHNICAL,
    CHANGED_MIND,
    OTHER;

    private static final Map<String, Objection> BY_WIRE_NAME =
            Arrays.stream(values())
                    .collect(Collectors.toMap(Objection::wireName, Function.identity()));

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Objection> fromWireName(String name) {
        return Optional.ofNullable(BY_WIRE_NAME.get(name));
    }
}
