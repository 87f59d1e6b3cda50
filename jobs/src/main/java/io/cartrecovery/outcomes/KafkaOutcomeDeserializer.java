package io.cartrecovery.outcomes;

import io.cartrecovery.ingest.SourcePosition;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns each record of the contact-outcomes topic into an outcome or a dead letter; never throws.
 */
public final class KafkaOutcomeDeserializer
        implements KafkaRecordDeserializationSchema<ParsedOutcome> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedOutcome> out) {
        ParsedOutcome parsed =
                OutcomeIngestion.parse(
                        record.value(),
                        SourcePosition.kafka(record.topic(), record.partition(), record.offset()),
                        System.currentTimeMillis());
        if (parsed != null) {
            out.collect(parsed);
        }
    }

    @Override
    public TypeInformation<ParsedOutcome> getProducedType() {
        return TypeInformation.of(ParsedOutcome.class);
    }
}
