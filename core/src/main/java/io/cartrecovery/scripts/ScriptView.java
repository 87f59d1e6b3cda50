package io.cartrecovery.scripts;

import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.events.CartLine;
import io.cartrecovery.profiles.CustomerProfile;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The variables a template sees (docs/scripts.md). A missing value is left out of the view, never
 * set to an empty text, so a template's inverted section ({@code {{^first_name}}...}) can say
 * something else instead.
 */
final class ScriptView {
    private ScriptView() {}

    static final Set<String> VARIABLES =
            Set.of(
                    "first_name",
                    "customer_name",
                    "store",
                    "lead_product",
                    "other_count",
                    "other_plural",
                    "products",
                    "product_count",
                    "cart_value",
                    "shipping_cost",
                    "errors",
                    "incentive_percent",
                    "cart_url",
                    "follow_up",
                    "attempt");

    /**
     * Inside {@code {{#products}}}. Named apart from the top-level variables on purpose: mustache
     * looks a name missing in a product up in the enclosing view, and a product without a name must
     * not be read out with the customer's.
     */
    static final Set<String> PRODUCT_VARIABLES =
            Set.of(
                    "product_name",
                    "product_id",
                    "quantity",
                    "several",
                    "unit_price",
                    "line_total",
                    "first",
                    "last");

    static Map<String, Object> of(
            AbandonedCart cart,
            CustomerProfile profile,
            Locale locale,
            String storeName,
            String cartUrl,
            int incentivePercent,
            int attempt) {
        Map<String, Object> view = new HashMap<>();
        String name = profile == null ? null : clean(profile.name());
        put(view, "customer_name", name);
        put(view, "first_name", name == null ? null : name.split(" ")[0]);
        put(view, "store", clean(storeName));
        put(view, "cart_url", cartUrl);
        put(view, "cart_value", positive(cart.cartValue(), cart.currency(), locale));
        put(view, "shipping_cost", positive(cart.shippingCost(), cart.currency(), locale));
        putCount(view, "errors", cart.session().errors());
        putCount(view, "incentive_percent", incentivePercent);
        view.put("attempt", attempt);
        if (attempt > 1) {
            view.put("follow_up", true);
        }

        List<CartLine> lines = cart.items();
        List<Map<String, Object>> products = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            CartLine line = lines.get(i);
            Map<String, Object> product = new HashMap<>();
            put(product, "product_name", clean(line.name()));
            product.put("product_id", line.productId());
            product.put("quantity", line.quantity());
            product.put("several", line.quantity() > 1);
            put(product, "unit_price", Money.format(line.unitPrice(), cart.currency(), locale));
            if (line.unitPrice() != null) {
                put(product, "line_total", Money.format(line.lineTotal(), cart.currency(), locale));
            }
            product.put("first", i == 0);
            product.put("last", i == lines.size() - 1);
            products.add(product);
        }
        if (!products.isEmpty()) {
            view.put("products", products);
            view.put("product_count", products.size());
        }
        // The line a shopper most likely cares about: the dearest one with a name.
        lines.stream()
                .filter(line -> clean(line.name()) != null)
                .max(Comparator.comparing(CartLine::lineTotal))
                .ifPresent(
                        lead -> {
                            view.put("lead_product", clean(lead.name()));
                            putCount(view, "other_count", lines.size() - 1);
                            if (lines.size() > 2) {
                                view.put("other_plural", true);
                            }
                        });
        return view;
    }

    private static String positive(BigDecimal amount, String currency, Locale locale) {
        return amount == null || amount.signum() <= 0
                ? null
                : Money.format(amount, currency, locale);
    }

    private static void put(Map<String, Object> view, String key, String value) {
        if (value != null) {
            view.put(key, value);
        }
    }

    private static void putCount(Map<String, Object> view, String key, int count) {
        if (count > 0) {
            view.put(key, count);
        }
    }

    /** Trimmed, inner runs of white space made one space; null when nothing is left. */
    static String clean(String text) {
        if (text == null) {
            return null;
        }
        String cleaned = text.strip().replaceAll("\\s+", " ");
        return cleaned.isEmpty() ? null : cleaned;
    }
}
