package io.cartrecovery.keys;

import java.io.Serializable;

/**
 * A key the job partitions its state by: one record type per concept, so an operator keyed by
 * customers cannot be handed a cart's key. Each holds the string that checkpoints hold as the key
 * (docs/state.md): its serializer writes exactly that string, and its hash code is the string's, so
 * a key maps to the same key group and the same state bytes as when keys were plain strings.
 * Serializable, as functions carry some: the profiles a replay knows at the start, by customer.
 */
public interface StateKey extends Serializable {
    /** The key as checkpoints hold it. */
    String value();
}
