package io.cartrecovery.sinks;

import io.cartrecovery.assignment.Alert;
import io.cartrecovery.assignment.AlertJson;
import io.cartrecovery.detection.AbandonedCart;
import io.cartrecovery.detection.AbandonedCartJson;
import io.cartrecovery.followup.TaskEvent;
import io.cartrecovery.followup.TaskEventJson;
import io.cartrecovery.ingest.DeadLetter;
import io.cartrecovery.ingest.DeadLetterJson;
import io.cartrecovery.tasks.ContactTask;
import io.cartrecovery.tasks.ContactTaskJson;

/** The wire bytes of each output, shared by the Kafka and the file sinks. */
public final class OutputFormats {
    private OutputFormats() {}

    /** Stamps {@code emitted_at} with the moment of writing. */
    public static byte[] task(ContactTask task) {
        return Json.bytes(ContactTaskJson.toJson(task, System.currentTimeMillis()));
    }

    public static byte[] abandoned(AbandonedCart cart) {
        return Json.bytes(AbandonedCartJson.toJson(cart));
    }

    public static byte[] alert(Alert alert) {
        return Json.bytes(AlertJson.toJson(alert));
    }

    public static byte[] deadLetter(DeadLetter letter) {
        return Json.bytes(DeadLetterJson.toJson(letter));
    }

    /** Stamps {@code emitted_at} with the moment of writing. */
    public static byte[] taskEvent(TaskEvent event) {
        return Json.bytes(TaskEventJson.toJson(event, System.currentTimeMillis()));
    }
}
