package io.cartrecovery.detection;

import io.cartrecovery.events.Stage;
import io.cartrecovery.settings.ConfigException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The inactivity gap per store and furthest stage. Lookup order: STORE.STAGE, STORE, *.STAGE, the
 * default.
 */
public final class GapPolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Duration defaultGap;
    private final Map<String, Duration> overrides;

    private GapPolicy(Duration defaultGap, Map<String, Duration> overrides) {
        this.defaultGap = defaultGap;
        this.overrides = overrides;
    }

    public static GapPolicy uniform(Duration gap) {
        return of(gap, Map.of());
    }

    /**
     * Validates every override; a bad one is a one-line {@link ConfigException}.
     *
     * @param overrides gaps by STORE.STAGE, STORE or *.STAGE (settings parse the durations)
     */
    public static GapPolicy of(Duration defaultGap, Map<String, Duration> overrides) {
        requirePositive("detection.gap", defaultGap);
        Map<String, Duration> valid = new HashMap<>();
        overrides.forEach(
                (rawKey, gap) -> {
                    String key = rawKey.strip();
                    if (key.isEmpty()) {
                        throw new ConfigException("detection.gaps: empty key");
                    }
                    // STORE.STAGE when the suffix is a stage, else the whole key is a store id
                    // (store ids may contain dots); only *.STAGE must name a stage.
                    if (key.startsWith("*")) {
                        String stage = key.startsWith("*.") ? key.substring(2) : "";
                        if (Arrays.stream(Stage.values())
                                .noneMatch(s -> s.wireName().equals(stage))) {
                            throw new ConfigException(
                                    "detection.gaps: '"
                                            + rawKey
                                            + "' is not *.STAGE with STAGE one of cart, checkout,"
                                            + " shipping, payment");
                        }
                    }
                    requirePositive("detection.gaps '" + rawKey + "'", gap);
                    valid.put(key, gap);
                });
        return new GapPolicy(defaultGap, Map.copyOf(valid));
    }

    public Duration gapFor(String storeId, Stage stage) {
        String stageName = stage.wireName();
        Duration gap = overrides.get(storeId + "." + stageName);
        if (gap == null) {
            gap = overrides.get(storeId);
        }
        if (gap == null) {
            gap = overrides.get("*." + stageName);
        }
        return gap != null ? gap : defaultGap;
    }

    /** The shortest gap any cart can get. */
    public Duration smallest() {
        return overrides.values().stream()
                .reduce(defaultGap, (a, b) -> a.compareTo(b) <= 0 ? a : b);
    }

    /**
     * The longest gap any cart can get: how long after its last activity a cart may be reported at
     * the latest (the KPI windows hold their watermark back by it).
     */
    public Duration largest() {
        return overrides.values().stream()
                .reduce(defaultGap, (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }

    static void requirePositive(String what, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new ConfigException(what + " must be positive, got " + value);
        }
    }
}
