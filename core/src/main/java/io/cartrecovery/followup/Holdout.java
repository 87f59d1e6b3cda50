package io.cartrecovery.followup;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Holdout membership: {@code hash(store, cart) mod 10000 < share * 10000}. The hash is a name-based
 * UUID (MD5), the same in every JVM, so replays and restarts agree, and changing the share moves
 * only the carts between the old and the new threshold.
 */
public final class Holdout {
    private Holdout() {}

    public static final int BUCKETS = 10_000;

    public static int bucket(String storeId, String cartId) {
        String name = "holdout\n" + storeId + '\n' + cartId;
        long bits =
                UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8))
                        .getMostSignificantBits();
        return (int) Math.floorMod(bits, (long) BUCKETS);
    }

    public static boolean heldOut(String storeId, String cartId, double share) {
        return bucket(storeId, cartId) < Math.round(share * BUCKETS);
    }
}
