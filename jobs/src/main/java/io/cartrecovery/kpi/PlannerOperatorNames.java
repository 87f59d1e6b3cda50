package io.cartrecovery.kpi;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Names the planner's operators of a KPI query after the query, so the Flink web UI reads {@code
 * kpi minute: window -> kpi minute: select -> ...} instead of {@code GlobalWindowAggregate[25] ->
 * Calc[26] -> ConstraintEnforcer[27]}.
 *
 * <p>Flink has no public way to name the operators a query plans into: {@code
 * table.exec.simplify-operator-name-enabled} only chooses between the short {@code Calc[26]} and
 * the whole plan text of each node as its name. So this renames the query's transformations between
 * the table's inputs and its output stream, through DataStream's transformation (internal API,
 * stable since Flink 1.x; OperatorNamesTest notices if it stops working). Names only: the planner
 * keeps its detailed description (shown beside the name in the web UI) and its uids, so savepoints
 * are unaffected.
 */
final class PlannerOperatorNames {
    private PlannerOperatorNames() {}

    /**
     * @param output the stream the query's table was converted to
     * @param query the name every operator of the query gets as its prefix, e.g. "kpi minute"
     * @param inputs the streams the query's tables were made from; their operators keep their names
     */
    static <T> DataStream<T> name(DataStream<T> output, String query, List<DataStream<?>> inputs) {
        Set<Transformation<?>> stop = Collections.newSetFromMap(new IdentityHashMap<>());
        inputs.forEach(input -> stop.add(input.getTransformation()));
        Set<Transformation<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Transformation<?>> toName = new ArrayDeque<>(List.of(output.getTransformation()));
        while (!toName.isEmpty()) {
            Transformation<?> planned = toName.pop();
            if (stop.contains(planned) || !seen.add(planned)) {
                continue;
            }
            planned.setName(query + ": " + step(planned, stop));
            toName.addAll(planned.getInputs());
        }
        return output;
    }

    /** What the planner's node does, from its simplified name ("Calc[26]"), in words. */
    private static String step(Transformation<?> planned, Set<Transformation<?>> inputs) {
        String name = planned.getName();
        String kind = name.replaceAll("\\[\\d+]$", "");
        if (kind.startsWith("*anonymous_datastream_source")) {
            // The scan of a stream made a table: named after the stream it reads.
            return planned.getInputs().stream()
                    .filter(inputs::contains)
                    .findFirst()
                    .map(input -> "read " + input.getName())
                    .orElse("read");
        }
        return switch (kind) {
            case "Calc" -> "select";
            case "LocalWindowAggregate" -> "window (local)";
            case "GlobalWindowAggregate" -> "window";
            case "WindowAggregate" -> "window";
            case "ConstraintEnforcer" -> "not null check";
            case "TableToDataStream" -> "to stream";
            case "WatermarkAssigner" -> "watermark";
            case "Exchange" -> "exchange";
            default -> words(kind);
        };
    }

    /** "GroupAggregate" as "group aggregate", for nodes a future query plan may bring. */
    private static String words(String camelCase) {
        return camelCase
                .replaceAll("[^A-Za-z0-9]+", " ")
                .replaceAll("([a-z0-9])([A-Z])", "$1 $2")
                .strip()
                .toLowerCase(Locale.ROOT);
    }
}
