package io.cartrecovery.ingest;

/**
 * Where a record came from, so a dead letter can be traced and replayed: a Kafka topic, partition
 * and offset; a file and line (partition -1, offset = line number from 1); or a pipeline stage that
 * rejected an already parsed event (partition -2, offset = the event time).
 */
public record SourcePosition(String source, int partition, long offset) {

    public static SourcePosition kafka(String topic, int partition, long offset) {
        return new SourcePosition(topic, partition, offset);
    }

    public static SourcePosition fileLine(String file, long line) {
        return new SourcePosition(file, -1, line);
    }

    public static SourcePosition stage(String stage, long eventTime) {
        return new SourcePosition(stage, -2, eventTime);
    }

    public boolean isFile() {
        return partition == -1;
    }

    public boolean isStage() {
        return partition == -2;
    }

    @Override
    public String toString() {
        if (isFile()) {
            return source + ":" + offset;
        }
        return isStage() ? source : source + "-" + partition + "@" + offset;
    }
}
