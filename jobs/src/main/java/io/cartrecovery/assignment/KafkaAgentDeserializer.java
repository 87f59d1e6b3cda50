package io.cartrecovery.assignment;

import io.cartrecovery.ingest.SourcePosition;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns each record of the agents topic into an agent or a dead letter; never throws. A tombstone
 * hands on a record with neither, so the source sees the topic's every offset.
 */
public final class KafkaAgentDeserializer implements KafkaRecordDeserializationSchema<ParsedAgent> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedAgent> out) {
        out.collect(
                AgentIngestion.parse(
                        record.value(),
                        SourcePosition.kafka(record.topic(), record.partition(), record.offset()),
                        System.currentTimeMillis()));
    }

    @Override
    public TypeInformation<ParsedAgent> getProducedType() {
        return TypeInformation.of(ParsedAgent.class);
    }
}
