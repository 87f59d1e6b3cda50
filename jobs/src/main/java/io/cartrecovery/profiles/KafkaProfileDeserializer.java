package io.cartrecovery.profiles;

import io.cartrecovery.ingest.SourcePosition;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns each record of the profiles topic into a profile or a dead letter; never throws. A
 * tombstone hands on a record with neither, so the source sees the topic's every offset.
 */
public final class KafkaProfileDeserializer
        implements KafkaRecordDeserializationSchema<ParsedProfile> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedProfile> out) {
        out.collect(
                ProfileIngestion.parse(
                        record.value(),
                        SourcePosition.kafka(record.topic(), record.partition(), record.offset()),
                        System.currentTimeMillis()));
    }

    @Override
    public TypeInformation<ParsedProfile> getProducedType() {
        return TypeInformation.of(ParsedProfile.class);
    }
}
