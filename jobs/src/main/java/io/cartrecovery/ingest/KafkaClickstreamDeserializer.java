package io.cartrecovery.ingest;

import io.cartrecovery.events.ClickEventJson;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Parses each Kafka record into an event or a dead letter; it never throws on bad data. */
public final class KafkaClickstreamDeserializer implements KafkaRecordDeserializationSchema<Ingested> {
    private static final long serialVersionUID = 1L;

    private final ClickEventJson parser;

    public KafkaClickstreamDeserializer(ClickEventJson parser) {
        this.parser = parser;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Ingested> out) {
        SourcePosition position =
                SourcePosition.kafka(record.topic(), record.partition(), record.offset());
        out.collect(Ingested.parse(parser, record.value(), position, System.currentTimeMillis()));
    }

    @Override
    public TypeInformation<Ingested> getProducedType() {
        return TypeInformation.of(Ingested.class);
    }
}
