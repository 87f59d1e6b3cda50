package io.cartrecovery.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cartrecovery.config.StateDefaults;
import java.nio.file.Path;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * The keyed ceiling: the least a keyed Flink job on these events can do, on the same Flink jars and
 * cluster as `replay`. File, Jackson parse, keyBy(cart), one {@code ValueState<Long>} per cart,
 * nothing out. The gap between it and `replay` is what the pipeline's own work costs.
 */
final class KeyedCeiling extends FileJobMeasurement {
    private final boolean rocksDb;

    /**
     * @param rocksDb keep the state in RocksDB with incremental checkpoints, as {@code run} does
     *     ({@link StateDefaults}), instead of on the heap, as {@code replay} does: each reads and
     *     writes the value through its own backend, so each streaming measurement has a ceiling on
     *     the same terms
     */
    KeyedCeiling(BenchContext context, boolean rocksDb) {
        super(context);
        this.rocksDb = rocksDb;
    }

    @Override
    public String name() {
        return rocksDb ? "ceiling-rocksdb" : "ceiling";
    }

    @Override
    public String description() {
        return "Flink: file -> Jackson parse -> keyBy(cart) -> one ValueState -> discard"
                + (rocksDb ? ", the state in RocksDB as `run` keeps it" : "");
    }

    @Override
    long trackedKeys() throws Exception {
        return context.distinctCartKeys();
    }

    @Override
    FlinkCluster.Finished job(Path input, String tag) throws Exception {
        Configuration config = context.jobConfig();
        if (rocksDb) {
            config = StateDefaults.forAnyRun(config);
        }
        StreamExecutionEnvironment env = context.flink().environment(config);
        env.enableCheckpointing(context.checkpointInterval().toMillis());
        env.fromSource(
                        FileSource.forRecordStreamFormat(
                                        new TextLineInputFormat(),
                                        new org.apache.flink.core.fs.Path(input.toUri()))
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "file")
                .map(new CartKey())
                .name("parse")
                .keyBy(key -> key)
                .process(new CountPerCart())
                .name("one ValueState")
                .sinkTo(new DiscardingSink<>());
        return context.flink().runToEnd(env, "bench-ceiling");
    }

    /** The cart key as docs/clickstream.md defines it: store plus cart, customer or visitor id. */
    static final class CartKey extends RichMapFunction<String, String> {
        private transient ObjectMapper mapper;

        @Override
        public void open(OpenContext context) {
            mapper = new ObjectMapper();
        }

        @Override
        public String map(String line) throws Exception {
            return key(mapper.readTree(line));
        }

        static String key(JsonNode event) {
            String store = event.path("store_id").asText();
            for (String id : new String[] {"cart_id", "customer_id", "anonymous_id"}) {
                JsonNode value = event.get(id);
                if (value != null && !value.isNull()) {
                    return store + "/" + id + "/" + value.asText();
                }
            }
            return store;
        }
    }

    /** Events per cart, so that every event reads and writes state. */
    static final class CountPerCart extends KeyedProcessFunction<String, String, Void> {
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext context) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Long.class));
        }

        @Override
        public void processElement(String key, Context ctx, Collector<Void> out) throws Exception {
            Long seen = count.value();
            count.update(seen == null ? 1 : seen + 1);
        }
    }
}
