package io.cartrecovery.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The limit: a plain KafkaConsumer reading the bench topic from the start and parsing every record
 * with Jackson, nothing else. No stream processor reading this topic on this broker can be faster.
 * Timed from the first record to the last, so connecting and the first fetch are left out.
 */
final class KafkaLimit implements Measurement {
    private final BenchContext context;

    KafkaLimit(BenchContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "limit";
    }

    @Override
    public String description() {
        return "plain KafkaConsumer + Jackson parse, from the start of the topic (broker CPU counted)";
    }

    @Override
    public void warmUp() throws Exception {
        context.kafka();
        consume(10_000);
    }

    @Override
    public Sample run(int run) throws Exception {
        context.kafka();
        try (Meter meter = Meter.start(context.broker())) {
            Progress progress = consume(context.mix().events());
            return new Sample(
                    progress.events,
                    progress.seconds,
                    meter.cpuSeconds(),
                    meter.peakHeapBytes(),
                    0,
                    0,
                    0,
                    0,
                    0,
                    Map.of());
        }
    }

    private record Progress(long events, double seconds) {}

    private Progress consume(long limit) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                context.kafka(),
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(BenchContext.CLICKSTREAM_TOPIC).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long count = 0;
            long first = 0;
            long checksum = 0;
            while (count < limit) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(500))) {
                    if (count == 0) {
                        first = System.nanoTime();
                    }
                    // Something of each parse is used, so that the JIT cannot drop it.
                    checksum += mapper.readTree(record.value()).size();
                    count++;
                }
            }
            if (checksum == 0) {
                throw new IllegalStateException("no fields parsed");
            }
            return new Progress(count - 1, Math.max((System.nanoTime() - first) / 1e9, 1e-3));
        }
    }
}
