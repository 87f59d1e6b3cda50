package io.cartrecovery.priority;

import static io.cartrecovery.priority.PriorityModel.add;
import static io.cartrecovery.priority.PriorityModel.proportional;

import io.cartrecovery.detection.SessionStats;
import java.io.Serializable;
import java.util.List;

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

    Engagement(PriorityWeights w) {
        viewsPoints = w.viewsPoints();
        viewsFull = w.viewsFull();
        productsPoints = w.productsPoints();
        productsFull = w.productsFull();
        timePoints = w.timePoints();
        timeFullMillis = w.timeFullMillis();
        stepsPoints = w.stepsPoints();
        stepsFull = w.stepsFull();
        errorsPoints = w.errorsPoints();
        errorsFull = w.errorsFull();
        previousPoints = w.previousPoints();
        previousFull = w.previousFull();
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
