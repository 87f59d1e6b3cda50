package io.cartrecovery.ingest;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Turns each Kafka record into events and dead letters; it never throws on bad data. */
public final class KafkaClickstreamDeserializer
        implements KafkaRecordDeserializationSchema<Ingested> {
    private static final long serialVersionUID = 1L;

    private final Ingestion ingestion;
    private transient Counter skipped;

    public KafkaClickstreamDeserializer(Ingestion ingestion) {
        this.ingestion = ingestion;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        skipped = context.getMetricGroup().counter(Ingestion.METRIC_SKIPPED);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Ingested> out) {
        ingestion.ingest(
                record.value(),
                SourcePosition.kafka(record.topic(), record.partition(), record.offset()),
                System.currentTimeMillis(),
                out::collect,
                unused -> skipped.inc());
    }

    @Override
    public TypeInformation<Ingested> getProducedType() {
        return TypeInformation.of(Ingested.class);
    }
}
