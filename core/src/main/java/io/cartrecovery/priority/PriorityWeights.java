package io.cartrecovery.priority;

import io.cartrecovery.detection.ReasonHint;
import io.cartrecovery.events.Stage;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.Map;

/**
 * The priority model's settings as plain values (docs/priority.md): points per input, the amount of
 * each input that earns all of its points, the probability range and the tier thresholds. Checked
 * where they are read (the jobs' {@code PriorityOptions}), so a bad one names its setting.
 */
public record PriorityWeights(
        int base,
        int cartValuePoints,
        double cartValueFull,
        int ordersPoints,
        int ordersFull,
        int lifetimeValuePoints,
        double lifetimeValueFull,
        int itemsPoints,
        int itemsFull,
        int viewsPoints,
        int viewsFull,
        int productsPoints,
        int productsFull,
        int timePoints,
        long timeFullMillis,
        int stepsPoints,
        int stepsFull,
        int errorsPoints,
        int errorsFull,
        int previousPoints,
        int previousFull,
        Map<Stage, Integer> stagePoints,
        Map<ReasonHint, Integer> reasonPoints,
        int recencyPoints,
        long recencyHorizonMillis,
        BigDecimal probabilityMin,
        BigDecimal probabilityMax,
        BigDecimal tierHigh,
        BigDecimal tierMiddle)
        implements Serializable {

    public PriorityWeights {
        stagePoints = stagePoints.isEmpty() ? Map.of() : new EnumMap<>(stagePoints);
        reasonPoints = reasonPoints.isEmpty() ? Map.of() : new EnumMap<>(reasonPoints);
    }
}
