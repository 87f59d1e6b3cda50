package io.cartrecovery.clickhouse;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What is stored for a customer: the id as it is, or, when the store asks for it, a keyed hash
 * (HMAC-SHA256, first 128 bits in hex). Cart ids derived from a customer or visitor id ({@code
 * customer/ID/OPENED_MS}) would give the id away, so their ID part is hashed the same way; every
 * table gets the same hashes, so facts still join on cart and customer.
 */
final class CustomerIds {
    private static final Pattern DERIVED_CART_ID =
            Pattern.compile("(customer|visitor)/(.+)/(\\d+)");

    private final Mac mac;

    private CustomerIds(Mac mac) {
        this.mac = mac;
    }

    /**
     * @param hashKey the secret key, or null to store ids as they are
     */
    static CustomerIds of(String hashKey) {
        if (hashKey == null) {
            return new CustomerIds(null);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hashKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return new CustomerIds(mac);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    String customerId(String id) {
        return mac == null || id == null ? id : hash(id);
    }

    String cartId(String cartId) {
        if (mac == null) {
            return cartId;
        }
        Matcher derived = DERIVED_CART_ID.matcher(cartId);
        return derived.matches()
                ? derived.group(1) + "/" + hash(derived.group(2)) + "/" + derived.group(3)
                : cartId;
    }

    private String hash(String id) {
        byte[] digest = mac.doFinal(id.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }
}
