package io.cartrecovery.tasks;

import io.cartrecovery.scripts.Scripts;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Renders each task's script or message right before the tasks topic: the follow-up issues tasks
 * without their text, so neither its output nor the assigner's pending calls carry or keep it. The
 * same task always renders the same text ({@link Scripts#render}). Cancels, creates without a
 * channel and tasks already rendered (pending calls restored from a savepoint of a version that
 * kept the text) pass as they are.
 */
public final class TaskContent implements MapFunction<ContactTask, ContactTask> {
    private static final long serialVersionUID = 1L;

    private final Scripts scripts;

    public TaskContent(Scripts scripts) {
        this.scripts = scripts;
    }

    @Override
    public ContactTask map(ContactTask task) {
        if (task.type() != TaskType.CREATE || task.channel() == null || task.content() != null) {
            return task;
        }
        return task.withContent(
                scripts.render(
                        task.cart(),
                        task.enrichment() == null ? null : task.enrichment().profile(),
                        task.channel(),
                        task.attempt()));
    }
}
