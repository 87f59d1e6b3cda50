package io.cartrecovery.priority;

import static io.cartrecovery.priority.PriorityModel.add;
import static io.cartrecovery.priority.PriorityModel.nonNegative;
import static io.cartrecovery.priority.PriorityModel.proportional;

import io.cartrecovery.config.ConfigException;
import io.cartrecovery.config.Configs;
import io.cartrecovery.config.PriorityOptions;
import io.cartrecovery.detection.SessionStats;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The engagement part of the priority score: how the shopper behaved around the cart and how often
 * the customer abandoned before (docs/priority.md). Each input is its own reason code, so an agent
 * sees which behaviour raised a cart.
 */
final class Engagement implements Serializable {
    private final int viewsPoints;
    private final int viewsFull;
    private final int productsPoints;
    private final int productsFull;
    private final int timePoints;
    private final long timeFullMillis;
    private final int stepsPoints;
    private final int stepsFull;
    private final int errorsPoints;
    private final int errorsFull;
    private final int previousPoints;
    private final int previousFull;

    Engagement(ReadableConfig config) {
        viewsPoints = nonNegative(config, PriorityOptions.VIEWS_POINTS);
        viewsFull = nonNegative(config, PriorityOptions.VIEWS_FULL);
        productsPoints = nonNegative(config, PriorityOptions.PRODUCTS_VIEWED_POINTS);
        productsFull = nonNegative(config, PriorityOptions.PRODUCTS_VIEWED_FULL);
        timePoints = nonNegative(config, PriorityOptions.TIME_ON_SITE_POINTS);
        Duration timeFull = Configs.get(config, PriorityOptions.TIME_ON_SITE_FULL);
        if (timeFull.isNegative() || timeFull.isZero()) {
            throw new ConfigException(
                    PriorityOptions.TIME_ON_SITE_FULL.key() + " must be positive");
        }
        timeFullMillis = timeFull.toMillis();
        stepsPoints = nonNegative(config, PriorityOptions.CHECKOUT_STEPS_POINTS);
        stepsFull = nonNegative(config, PriorityOptions.CHECKOUT_STEPS_FULL);
        errorsPoints = nonNegative(config, PriorityOptions.ERRORS_POINTS);
        errorsFull = nonNegative(config, PriorityOptions.ERRORS_FULL);
        previousPoints = nonNegative(config, PriorityOptions.PREVIOUS_ABANDONMENTS_POINTS);
        previousFull = nonNegative(config, PriorityOptions.PREVIOUS_ABANDONMENTS_FULL);
    }

    void score(SessionStats session, List<ReasonCode> reasons) {
        add(reasons, "views", proportional(viewsPoints, session.views(), viewsFull));
        add(
                reasons,
                "products_viewed",
                proportional(productsPoints, session.productsViewed(), productsFull));
        add(
                reasons,
                "time_on_site",
                proportional(timePoints, session.timeOnSiteMillis(), timeFullMillis));
        add(
                reasons,
                "checkout_steps",
                proportional(stepsPoints, session.checkoutSteps(), stepsFull));
        add(reasons, "errors", proportional(errorsPoints, session.errors(), errorsFull));
        add(
                reasons,
                "previous_abandonments",
                proportional(previousPoints, session.previousAbandonments(), previousFull));
    }
}
