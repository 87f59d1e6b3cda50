package io.cartrecovery.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.config.Configs;
import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.ContactDetails;
import io.cartrecovery.events.EventType;
import io.cartrecovery.job.CartRecoveryJob;
import io.cartrecovery.job.StreamingJob;
import io.cartrecovery.testing.RoundTrip;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class ClickEventSerializerTest {
    /** Registered by configuration, as the event in core carries no Flink annotation. */
    @Test
    void flinkUsesItForEveryClickEventOnceTheJobIsConfigured() {
        CartRecoveryJob.configure(StreamExecutionEnvironment.getExecutionEnvironment());
        TypeInformation<ClickEvent> info = TypeInformation.of(ClickEvent.class);
        assertThat(info).isInstanceOf(SerializerTypeInfo.class);
        assertThat(info.createSerializer(new SerializerConfigImpl()))
                .isInstanceOf(ClickEventSerializer.class);
    }

    /**
     * The events between the job's operators travel with it: Flink would otherwise take the record
     * for a POJO and serialize it field by field, without a word.
     */
    @Test
    void theJobsEventsTravelWithIt() {
        Configuration config = Configs.load(null, Map.of("kafka.bootstrap-servers", "kafka:9092"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        StreamingJob.build(env, config);

        assertThat(env.getStreamGraph().getStreamNodes())
                .filteredOn(node -> node.getOperatorName().equals("validate"))
                .singleElement()
                .satisfies(
                        node ->
                                assertThat(node.getTypeSerializerOut())
                                        .isInstanceOf(ClickEventSerializer.class));
    }

    @Test
    void everyFieldComesBackAsItWent() throws IOException {
        ClickEvent full =
                new ClickEvent(
                        "evt-1",
                        EventType.SHIPPING_INFO,
                        "shop-ü",
                        1_796_206_530_250L,
                        "c-1",
                        "cust-1",
                        "anon-1",
                        "sess-1",
                        "EUR",
                        List.of(
                                new CartLine("p1", "Mug «blue»", 2, new BigDecimal("19.9900")),
                                new CartLine("p2", null, 1, null),
                                new CartLine("p3", "Big", 3, new BigDecimal("-1E+30"))),
                        new BigDecimal("4.90"),
                        "o-1",
                        "card_declined",
                        new ContactDetails("Ana", "ana@example.com", "+34600000000"));
        ClickEvent read = RoundTrip.of(ClickEventSerializer.INSTANCE, full);
        assertThat(read).isEqualTo(full);
        assertThat(read.shippingCost().scale()).isEqualTo(2);
        assertThat(read.items().get(0).unitPrice().scale()).isEqualTo(4);

        ClickEvent sparse =
                new ClickEvent(
                        "evt-2",
                        EventType.PAGE_VIEW,
                        "shop-1",
                        0,
                        null,
                        null,
                        "anon-2",
                        null,
                        null,
                        List.of(),
                        null,
                        null,
                        null,
                        new ContactDetails(null, null, "+1"));
        assertThat(RoundTrip.of(ClickEventSerializer.INSTANCE, sparse)).isEqualTo(sparse);
    }
}
