package io.cartrecovery.enrich;

import io.cartrecovery.events.ContactDetails;

/**
 * What enrichment remembers of a customer besides the profile (keyed state, one per known customer,
 * fixed size): how many of their carts were reported abandoned, and the latest contact details
 * their carts' identify events gave. A Flink POJO.
 */
public class CustomerMemory {
    /** Distinct carts reported abandoned so far. */
    public int abandonments;

    /** The last cart counted: a cart reported again after it came back to life counts once. */
    public String lastCartId;

    /** Latest identify details, field by field; personal data, for contact tasks only. */
    public ContactDetails identified;

    public CustomerMemory() {}
}
