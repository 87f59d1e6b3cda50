package io.cartrecovery.serialization;

import io.cartrecovery.keys.CartKey;
import io.cartrecovery.keys.ContactCentreKey;
import io.cartrecovery.keys.CustomerKey;
import io.cartrecovery.keys.KpiMinuteKey;
import io.cartrecovery.keys.StateKey;
import io.cartrecovery.keys.TrackedCartKey;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The type information of each state key ({@link io.cartrecovery.keys.Keys}). Every {@code keyBy}
 * names it: Flink would otherwise take a key record for a POJO and write it field by field, which
 * is not the string a checkpoint holds.
 */
public final class KeyTypes {
    private KeyTypes() {}

    public static final TypeInformation<TrackedCartKey> TRACKED_CART = of(TrackedCartKey.class);
    public static final TypeInformation<CartKey> CART = of(CartKey.class);
    public static final TypeInformation<CustomerKey> CUSTOMER = of(CustomerKey.class);
    public static final TypeInformation<ContactCentreKey> CONTACT_CENTRE =
            of(ContactCentreKey.class);
    public static final TypeInformation<KpiMinuteKey> KPI_MINUTE = of(KpiMinuteKey.class);

    /**
     * Stops the job when a timer comes back without its key's type. Flink's heap state backend
     * reads the timers of a checkpoint with the key serializer that wrote them, so a checkpoint
     * taken on the heap before keys had types gives its timers string keys: each would fire under a
     * key that owns no state, and do nothing, silently (docs/state.md, "Upgrades"). RocksDB reads
     * them with the current serializer and is not affected. Call first in every {@code onTimer}.
     */
    public static void requireTyped(Object key) {
        if (!(key instanceof StateKey)) {
            throw new IllegalStateException(
                    "a timer came back from heap state saved before state keys had types:"
                            + " restore a savepoint of that version once with"
                            + " state.backend.type: rocksdb, take a savepoint, then go back to the"
                            + " heap (docs/state.md, Upgrades)");
        }
    }

    private static <K extends StateKey> TypeInformation<K> of(Class<K> type) {
        return new SerializerTypeInfo<>(type, new KeySerializer<>(type));
    }
}
