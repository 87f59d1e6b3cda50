package io.cartrecovery.compliance;

import java.io.Serializable;

/**
 * When a contact may happen. Every moment from {@code notBefore} (or, without it, from the moment
 * the task was issued) to {@code dueBy} lies inside one opening of the customer's contact window.
 *
 * @param notBefore epoch millis UTC before which nobody may contact the customer, or null when the
 *     task may be worked as soon as it arrives
 * @param dueBy epoch millis UTC by which the contact should have happened; never before {@code
 *     notBefore}
 * @param contactAt the moment the contact is planned for and counted at by the caps: {@code
 *     notBefore}, else the moment the task was issued
 */
public record ContactTiming(Long notBefore, long dueBy, long contactAt) implements Serializable {}
