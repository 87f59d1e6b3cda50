package io.cartrecovery.tasks;

import static io.cartrecovery.testing.Profiles.T0;
import static io.cartrecovery.testing.Profiles.cart;
import static io.cartrecovery.testing.Profiles.consenting;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cartrecovery.config.JobSettings;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.CartClosed;
import io.cartrecovery.detection.ReasonHint;
import io.cartrecovery.enrich.Enrichment;
import io.cartrecovery.events.Stage;
import io.cartrecovery.priority.Channel;
import io.cartrecovery.profiles.CustomerProfile;
import io.cartrecovery.testing.Schemas;
import org.junit.jupiter.api.Test;

/** What a create says about when and whom to contact. */
class ContactTaskJsonTest {
    private static final AbandonedCart CART =
            cart("c1", "120.00", 2, Stage.SHIPPING, ReasonHint.UNEXPECTED_COSTS);
    private static final CustomerProfile PROFILE = consenting("c1", Channel.SMS);

    private static ContactTask task(Channel channel, Long notBefore) {
        Enrichment enrichment =
                new Enrichment(
                        PROFILE,
                        "Europe/Madrid",
                        JobSettings.defaults().priorityModel().score(CART, PROFILE, T0));
        return new ContactTask(
                ContactTask.taskId("shop-1", CART.cartId(), 1),
                TaskType.CREATE,
                1,
                T0 + 3_600_000L,
                CART,
                null,
                enrichment,
                channel,
                null,
                notBefore,
                null,
                T0);
    }

    private static ContactTask cancelOf(Channel channel) {
        return ContactTask.cancel(
                new CartClosed(
                        CART.cartId(), "shop-1", "c1", CartClosed.Cause.EXPIRED, T0 + 1, null),
                1,
                channel);
    }

    /**
     * Issue 13, item 3: only calls and the cancels of calls go through the one-key assigner; a
     * cancel whose channel is unknown goes there too (it may free an agent).
     */
    @Test
    void onlyCallsAndTheirCancelsConcernAgents() {
        assertThat(task(Channel.CALL, null).concernsAgents()).isTrue();
        assertThat(task(Channel.WHATSAPP, null).concernsAgents()).isFalse();
        assertThat(task(Channel.SMS, null).concernsAgents()).isFalse();
        assertThat(task(Channel.EMAIL, null).concernsAgents()).isFalse();
        assertThat(cancelOf(Channel.CALL).concernsAgents()).isTrue();
        assertThat(cancelOf(null).concernsAgents()).isTrue();
        assertThat(cancelOf(Channel.EMAIL).concernsAgents()).isFalse();
        assertThat(cancelOf(Channel.WHATSAPP).concernsAgents()).isFalse();
    }

    /** The channel a cancel carries for routing is not published: cancels read as before. */
    @Test
    void aCancelIsWrittenTheSameWithOrWithoutItsChannel() {
        JsonNode with = ContactTaskJson.toJson(cancelOf(Channel.CALL), T0);
        JsonNode without = ContactTaskJson.toJson(cancelOf(null), T0);
        assertThat(with).isEqualTo(without);
        assertThat(with.has("channel")).isFalse();
        Schemas.assertValid("contact-task.schema.json", with);
    }

    @Test
    void notBeforeIsWrittenAsUtcTimeAndNullWhenTheTaskMayBeWorkedAtOnce() {
        JsonNode moved = ContactTaskJson.toJson(task(Channel.SMS, T0 + 1_200_000L), T0);
        assertThat(moved.get("not_before").asText()).isEqualTo("2025-06-15T15:26:40Z");
        Schemas.assertValid("contact-task.schema.json", moved);

        JsonNode atOnce = ContactTaskJson.toJson(task(Channel.SMS, null), T0);
        assertThat(atOnce.get("not_before").isNull()).isTrue();
        assertThat(atOnce.get("customer").get("phone").asText()).isEqualTo("+34612345678");
        Schemas.assertValid("contact-task.schema.json", atOnce);
    }

    @Test
    void aTaskWithoutChannelNeverCarriesContactDetails() {
        JsonNode node = ContactTaskJson.toJson(task(null, null), T0);
        assertThat(node.get("channel").isNull()).isTrue();
        assertThat(node.get("mode").isNull()).isTrue();
        assertThat(node.toString()).doesNotContain("+34612345678", "ana@example.com", "Ana Pérez");
        assertThat(node.get("customer").get("timezone").asText()).isEqualTo("Europe/Madrid");
        // The job makes no such task (only contactable carts get tasks), and the contract says
        // a create always has a channel.
        Schemas.assertInvalid("contact-task.schema.json", node);
    }
}
