package io.cartrecovery.detection;

import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.EventType;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * A shopper who filled a cart as a visitor and then logged in buys under their customer id, so the
 * purchase is keyed by the customer, while the cart is keyed by the visitor. Without help that cart
 * would never see the purchase and would be reported abandoned: a call to someone who just paid. A
 * purchase that names both ids (and no cart id) therefore also goes to the visitor's cart.
 */
public final class PurchaseFanOut implements FlatMapFunction<ClickEvent, ClickEvent> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(ClickEvent event, Collector<ClickEvent> out) {
        out.collect(event);
        if (event.type() == EventType.PURCHASE
                && event.cartId() == null
                && event.customerId() != null
                && event.anonymousId() != null) {
            out.collect(event.asVisitorEvent());
        }
    }
}
