package io.cartrecovery.enrich;

import static io.cartrecovery.testing.Profiles.cart;
import static io.cartrecovery.testing.Profiles.consenting;
import static io.cartrecovery.testing.Profiles.doNotContact;
import static io.cartrecovery.testing.Profiles.withoutPhone;
import static org.assertj.core.api.Assertions.assertThat;

import io.cartrecovery.config.EnrichmentOptions;
import io.cartrecovery.config.JobSettings;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.ReasonHint;
import io.cartrecovery.events.ContactDetails;
import io.cartrecovery.events.Stage;
import io.cartrecovery.keys.CustomerKey;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.priority.ContactDecision;
import io.cartrecovery.priority.ContactDecision.Outcome;
import io.cartrecovery.priority.ReasonCode;
import io.cartrecovery.profiles.CustomerProfile;
import io.cartrecovery.serialization.KeyTypes;
import io.cartrecovery.testing.Profiles;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The enrichment join alone, with its state and timers in view. */
class CartEnricherTest {
    private KeyedTwoInputStreamOperatorTestHarness<
                    CustomerKey, AbandonedCart, CustomerProfile, EnrichedCart>
            harness;

    /** Opens the operator after the profiles on the topic at the start have been read. */
    private void open() throws Exception {
        openBeforeProfilesRead();
        profilesRead(0);
    }

    /** Opens the operator while the profiles input still holds event time at its beginning. */
    private void openBeforeProfilesRead() throws Exception {
        harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new CartEnricher(settings(), Map.of())),
                        CartEnricher::customerKey,
                        CartEnricher::customerKey,
                        KeyTypes.CUSTOMER);
        harness.setProcessingTime(0);
        harness.open();
    }

    /**
     * The profiles' first read is done: their input goes idle for good (ReferenceWatermarks), and
     * the carts' watermark is at {@code cartsWatermark}.
     */
    private void profilesRead(long cartsWatermark) throws Exception {
        harness.processWatermarkStatus2(WatermarkStatus.IDLE);
        harness.processWatermark1(new Watermark(cartsWatermark));
    }

    private static JobSettings settings() {
        Configuration config = new Configuration();
        config.set(EnrichmentOptions.STORE_TIME_ZONE, "Europe/Madrid");
        return JobSettings.from(config);
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private void cartArrives(AbandonedCart cart) throws Exception {
        harness.processElement1(new StreamRecord<>(cart, cart.abandonedAt() + cart.gapMillis()));
    }

    private void profileArrives(CustomerProfile profile) throws Exception {
        harness.processElement2(new StreamRecord<>(profile));
    }

    private List<EnrichedCart> out() {
        return harness.extractOutputValues();
    }

    private static AbandonedCart bigCart(String customer) {
        return cart(customer, "250.00", 3, Stage.PAYMENT, ReasonHint.PAYMENT_PROBLEM);
    }

    @Test
    void knownCustomerIsEnrichedScoredAndGivenAChannel() throws Exception {
        open();
        profileArrives(consenting("c1", Channel.CALL, Channel.EMAIL));
        cartArrives(bigCart("c1"));

        EnrichedCart e = out().get(0);
        assertThat(e.decision()).isEqualTo(ContactDecision.contact(Channel.CALL));
        assertThat(e.enrichment().profile().customerId()).isEqualTo("c1");
        assertThat(e.enrichment().timeZone()).isEqualTo("Europe/Madrid");
        assertThat(e.enrichment().priority().score()).isGreaterThan(80);
        assertThat(e.cart().contactDecision()).isEqualTo("contact");
        // The profile and the customer's memory (one abandonment).
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
    }

    @Test
    void profileUpdateAppliesToTheNextCart() throws Exception {
        open();
        profileArrives(consenting("c1", Channel.CALL));
        profileArrives(doNotContact(consenting("c1", Channel.CALL)));
        cartArrives(bigCart("c1"));

        assertThat(out().get(0).decision().outcome()).isEqualTo(Outcome.DO_NOT_CONTACT);
        assertThat(out().get(0).cart().contactDecision()).isEqualTo("do_not_contact");
    }

    @Test
    void onceTheProfilesAreReadACartOfAnUnknownCustomerGoesOnAtOnceUnenriched() throws Exception {
        open();
        cartArrives(bigCart("c1"));

        EnrichedCart e = out().get(0);
        assertThat(e.decision().outcome()).isEqualTo(Outcome.UNKNOWN_CUSTOMER);
        assertThat(e.enrichment().profile()).isNull();
        assertThat(e.enrichment().timeZone()).isEqualTo("Europe/Madrid");
        // Only the customer's memory of this abandonment.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aCartBeforeTheProfilesAreReadWaitsForThemAndTheWallClockDecidesNothing() throws Exception {
        openBeforeProfilesRead();
        AbandonedCart cart = bigCart("c1");
        long at = cart.abandonedAt() + cart.gapMillis();
        cartArrives(cart);
        harness.setProcessingTime(Duration.ofDays(1).toMillis());
        assertThat(out()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        // Read at the start, after the cart came: it still decides.
        profileArrives(consenting("c1", Channel.WHATSAPP));
        assertThat(out()).isEmpty();

        profilesRead(at - 1);
        assertThat(out()).isEmpty();
        harness.processWatermark1(new Watermark(at));

        assertThat(out()).hasSize(1);
        assertThat(out().get(0).decision()).isEqualTo(ContactDecision.contact(Channel.WHATSAPP));
        assertThat(harness.numEventTimeTimers()).isZero();
        // The profile and the memory are left; the waiting list is gone.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
    }

    @Test
    void aWaitingCartWithoutAProfileGoesOnUnenrichedAtItsTimeAndLeavesNoWaitingState()
            throws Exception {
        openBeforeProfilesRead();
        AbandonedCart cart = bigCart("c1");
        cartArrives(cart);

        profilesRead(cart.abandonedAt() + cart.gapMillis());

        assertThat(out()).hasSize(1);
        assertThat(out().get(0).decision().outcome()).isEqualTo(Outcome.UNKNOWN_CUSTOMER);
        // No waiting cart is left, only the customer's memory of the abandonment.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    }

    @Test
    void waitingCartsGoOnInTheirOwnTimeOrderWithTheirOwnTimes() throws Exception {
        openBeforeProfilesRead();
        AbandonedCart early = bigCart("c1");
        AbandonedCart late = abandonedLater(early, "cart-c1-b", Profiles.ONE_HOUR);
        long earlyAt = early.abandonedAt() + early.gapMillis();
        long lateAt = late.abandonedAt() + late.gapMillis();
        cartArrives(late);
        cartArrives(early);

        profilesRead(earlyAt);
        assertThat(out()).extracting(e -> e.cart().cartId()).containsExactly(early.cartId());
        harness.processWatermark1(new Watermark(lateAt));

        assertThat(out())
                .extracting(e -> e.cart().cartId())
                .containsExactly(early.cartId(), "cart-c1-b");
        assertThat(harness.extractOutputStreamRecords())
                .extracting(StreamRecord::getTimestamp)
                .containsExactly(earlyAt, lateAt);
    }

    @Test
    void anonymousCartPassesThroughWithoutWaiting() throws Exception {
        openBeforeProfilesRead();
        cartArrives(cart(null, "250.00", 3, Stage.PAYMENT, ReasonHint.UNKNOWN));

        assertThat(out()).hasSize(1);
        assertThat(out().get(0).decision().outcome()).isEqualTo(Outcome.UNKNOWN_CUSTOMER);
        // No contact details: the cart goes on, not contactable, and gets no task.
        assertThat(out().get(0).decision().createsTask()).isFalse();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void profileTimeZoneWinsOverTheStoreZone() throws Exception {
        open();
        CustomerProfile p = consenting("c1", Channel.EMAIL);
        profileArrives(
                new CustomerProfile(
                        p.storeId(),
                        p.customerId(),
                        p.name(),
                        p.phone(),
                        p.email(),
                        p.language(),
                        "America/Mexico_City",
                        p.consent(),
                        false,
                        p.orderCount(),
                        p.lifetimeValue(),
                        p.lastOrderAt()));
        cartArrives(bigCart("c1"));

        assertThat(out().get(0).enrichment().timeZone()).isEqualTo("America/Mexico_City");
    }

    @Test
    void previousAbandonmentsCountOtherCartsOfTheCustomerOnce() throws Exception {
        open();
        profileArrives(consenting("c1", Channel.CALL));
        AbandonedCart first = bigCart("c1");
        cartArrives(first);
        cartArrives(first); // reported again after it came back to life: the same abandonment
        cartArrives(withId(bigCart("c1"), "cart-2"));
        cartArrives(withId(bigCart("c1"), "cart-3"));

        assertThat(out())
                .extracting(e -> e.cart().session().previousAbandonments())
                .containsExactly(0, 0, 1, 2);
        assertThat(out().get(3).enrichment().priority().reasons())
                .extracting(ReasonCode::code)
                .contains("previous_abandonments");
    }

    @Test
    void anonymousCartsLeaveNoMemoryBehind() throws Exception {
        open();
        cartArrives(cart(null, "250.00", 3, Stage.PAYMENT, ReasonHint.UNKNOWN));

        assertThat(out().get(0).cart().session().previousAbandonments()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void identifyPhoneMakesAConsentedCallPossibleAndIsRemembered() throws Exception {
        open();
        profileArrives(withoutPhone(consenting("c1", Channel.CALL)));
        cartArrives(
                identified(bigCart("c1"), new ContactDetails("Typed Name", null, "+34600111222")));

        EnrichedCart e = out().get(0);
        assertThat(e.decision()).isEqualTo(ContactDecision.contact(Channel.CALL));
        assertThat(e.enrichment().profile().phone()).isEqualTo("+34600111222");
        // The profile's own name wins over what was typed.
        assertThat(e.enrichment().profile().name()).isEqualTo("Ana Pérez");
        // The details go on in the task's customer only, not on the cart fact.
        assertThat(e.cart().identified()).isNull();

        // A later cart without an identify event still reaches the customer.
        cartArrives(withId(bigCart("c1"), "cart-2"));
        assertThat(out().get(1).enrichment().profile().phone()).isEqualTo("+34600111222");
    }

    @Test
    void identifyDetailsNeverGrantConsent() throws Exception {
        open();
        profileArrives(withoutPhone(consenting("c1", Channel.EMAIL)));
        cartArrives(identified(bigCart("c1"), new ContactDetails(null, null, "+34600111222")));

        // A phone but no call, WhatsApp or SMS consent: e-mail stays the channel.
        assertThat(out().get(0).decision()).isEqualTo(ContactDecision.contact(Channel.EMAIL));
    }

    @Test
    void identifyPhoneThatIsNotE164IsNotUsed() throws Exception {
        open();
        profileArrives(withoutPhone(consenting("c1", Channel.CALL)));
        cartArrives(identified(bigCart("c1"), new ContactDetails(null, null, "612 34 56 78")));

        assertThat(out().get(0).decision().outcome()).isEqualTo(Outcome.NO_CONSENTED_CHANNEL);
        assertThat(out().get(0).enrichment().profile().phone()).isNull();
    }

    @Test
    void identifyDetailsWithoutAProfileContactNobody() throws Exception {
        open();
        cartArrives(identified(bigCart("c1"), new ContactDetails("Ana", null, "+34600111222")));

        assertThat(out().get(0).decision().outcome()).isEqualTo(Outcome.UNKNOWN_CUSTOMER);
        assertThat(out().get(0).enrichment().profile()).isNull();
    }

    private static AbandonedCart withId(AbandonedCart c, String cartId) {
        return new AbandonedCart(
                cartId,
                c.storeId(),
                c.customerId(),
                c.anonymousId(),
                c.items(),
                c.cartValue(),
                c.currency(),
                c.stage(),
                c.reason(),
                c.shippingCost(),
                c.openedAt(),
                c.abandonedAt(),
                c.gapMillis(),
                c.detectedAt(),
                null,
                c.session(),
                c.identified());
    }

    private static AbandonedCart identified(AbandonedCart c, ContactDetails details) {
        return new AbandonedCart(
                c.cartId(),
                c.storeId(),
                c.customerId(),
                c.anonymousId(),
                c.items(),
                c.cartValue(),
                c.currency(),
                c.stage(),
                c.reason(),
                c.shippingCost(),
                c.openedAt(),
                c.abandonedAt(),
                c.gapMillis(),
                c.detectedAt(),
                null,
                c.session(),
                details);
    }

    @Test
    void capsAreLeftToTheFollowUpWhichSeesEveryAttempt() throws Exception {
        open();
        profileArrives(consenting("c1", Channel.WHATSAPP));
        AbandonedCart first = bigCart("c1");
        cartArrives(first);
        cartArrives(abandonedLater(first, "cart-c1-b", Profiles.ONE_HOUR));

        // Both carts may be contacted on WhatsApp; when is the follow-up's (the caps).
        assertThat(out())
                .extracting(EnrichedCart::decision)
                .containsOnly(ContactDecision.contact(Channel.WHATSAPP));
        assertThat(out().get(1).timing().notBefore()).isNull();
        // The profile and the memory only: no contact history here.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
    }

    @Test
    void unknownCustomersLeaveNoContactHistory() throws Exception {
        open();
        cartArrives(bigCart("c1"));
        cartArrives(abandonedLater(bigCart("c1"), "cart-c1-b", Profiles.ONE_HOUR));

        // No task, so no channel and no timing; both carts go on, not contactable.
        assertThat(out()).allSatisfy(e -> assertThat(e.decision().channel()).isNull());
        assertThat(out()).allSatisfy(e -> assertThat(e.timing()).isNull());
        assertThat(out()).allSatisfy(e -> assertThat(e.cart().contactable()).isFalse());
        // Only the memory of their abandonments: no contact history.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    }

    private static AbandonedCart abandonedLater(AbandonedCart c, String cartId, long later) {
        return new AbandonedCart(
                cartId,
                c.storeId(),
                c.customerId(),
                c.anonymousId(),
                c.items(),
                c.cartValue(),
                c.currency(),
                c.stage(),
                c.reason(),
                c.shippingCost(),
                c.openedAt() + later,
                c.abandonedAt() + later,
                c.gapMillis(),
                c.detectedAt() + later,
                null);
    }

    @Test
    void badEnrichmentSettingsAreRejectedByName() {
        Configuration config = new Configuration();
        config.set(EnrichmentOptions.STORE_TIME_ZONE, "Mars/Base");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JobSettings.from(config))
                .hasMessage("enrichment.store-time-zone: unknown time zone 'Mars/Base'");
    }
}
