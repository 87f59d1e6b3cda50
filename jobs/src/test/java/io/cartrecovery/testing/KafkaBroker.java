package io.cartrecovery.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A real single-node Kafka cluster (KRaft) in the test JVM, with small client helpers. */
public final class KafkaBroker implements AutoCloseable {
    private final KafkaClusterTestKit cluster;
    private final Map<String, Object> client;

    private KafkaBroker(KafkaClusterTestKit cluster, Map<String, Object> client) {
        this.cluster = cluster;
        this.client = client;
    }

    public static KafkaBroker start() throws Exception {
        return start(SecurityProtocol.PLAINTEXT);
    }

    /**
     * A broker whose client listener takes SASL/PLAIN only (the test kit's users: {@link
     * #SASL_USER} with {@link #SASL_PASSWORD}, a super user, and {@code plain-user1}); this class's
     * own clients log in as {@link #SASL_USER}. The kit points the JVM's JAAS configuration ({@code
     * java.security.auth.login.config}) at its file of server logins; {@link #close} clears it.
     */
    public static KafkaBroker startSasl() throws Exception {
        return start(SecurityProtocol.SASL_PLAINTEXT);
    }

    public static final String SASL_USER = JaasUtils.KAFKA_PLAIN_ADMIN;
    public static final String SASL_PASSWORD = JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD;

    /** The client properties of a SASL/PLAIN login as {@code user}. */
    public static Map<String, String> saslClient(String user, String password) {
        return Map.of(
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                "PLAIN",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + user
                        + "\" password=\""
                        + password
                        + "\";");
    }

    private static KafkaBroker start(SecurityProtocol protocol) throws Exception {
        KafkaClusterTestKit cluster =
                new KafkaClusterTestKit.Builder(
                                new TestKitNodes.Builder()
                                        .setCombined(true)
                                        .setNumBrokerNodes(1)
                                        .setNumControllerNodes(1)
                                        .setBrokerSecurityProtocol(protocol)
                                        .build())
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        // Authentication is what the SASL tests are about: no ACLs (the kit would
                        // install an authorizer that also refuses its own PLAINTEXT controller).
                        .setConfigProp("authorizer.class.name", "")
                        .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        Map<String, Object> client = new HashMap<>();
        if (protocol == SecurityProtocol.SASL_PLAINTEXT) {
            client.putAll(saslClient(SASL_USER, SASL_PASSWORD));
        }
        return new KafkaBroker(cluster, client);
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public void createTopic(String name, int partitions) throws Exception {
        Map<String, Object> props = new HashMap<>(client);
        props.put("bootstrap.servers", bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
    }

    /** Sends each value to one partition, in order, and waits until all are written. */
    public void send(String topic, int partition, List<byte[]> values) {
        send(topic, partition, null, values);
    }

    /** Deletes {@code key} from a compacted topic: a record with no value. */
    public void sendTombstone(String topic, int partition, String key) {
        List<byte[]> none = new ArrayList<>();
        none.add(null);
        send(topic, partition, key.getBytes(StandardCharsets.UTF_8), none);
    }

    private void send(String topic, int partition, byte[] key, List<byte[]> values) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(topic, partition, key, value));
            }
            producer.flush();
        }
    }

    /**
     * Reads a topic from the start (committed transactions only) until {@code done} holds for what
     * was read, or the timeout passes; returns what was read either way.
     */
    public List<ConsumerRecord<byte[], byte[]>> readUntil(
            String topic, Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant end = Instant.now().plus(timeout);
            while (!done.test(records) && Instant.now().isBefore(end)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    @Override
    public void close() {
        if (!client.isEmpty()) {
            System.clearProperty("java.security.auth.login.config");
        }
        try {
            cluster.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not shut down cleanly", e);
        }
    }
}
