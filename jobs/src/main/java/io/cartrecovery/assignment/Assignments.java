package io.cartrecovery.assignment;

import io.cartrecovery.serialization.KeyTypes;
import io.cartrecovery.tasks.ContactTask;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/** The assignment step of the job graph: tasks, roster and releases in; tasks with agents out. */
public final class Assignments {
    private Assignments() {}

    /**
     * What assignment gives the rest of the graph.
     *
     * @param tasks every task: calls as the assigner wrote them (with {@code assigned_agent}, or
     *     again when an agent takes a queued one), messages and their cancels as they came
     * @param alerts supervisor alerts ({@link Assigner#ALERTS})
     * @param assignments assignment events ({@link Assigner#ASSIGNMENTS})
     */
    public record Assigned(
            DataStream<ContactTask> tasks,
            DataStream<Alert> alerts,
            DataStream<Assignment> assignments) {}

    /**
     * Only what concerns agents reaches the one-key assigner ({@link ContactTask#concernsAgents}):
     * calls and the cancels of calls (a cancel of a queued call takes it out of the queue, of an
     * assigned one frees the agent), the roster, and the releases. Messages and their cancels go
     * past it, keeping their order per task (both take the same path, from the same follow-up
     * subtask), so the one key carries only the work that needs it (docs/assignment.md, "Scale").
     *
     * @param tasks every contact task, creates and cancels
     * @param agents roster updates; they carry no event time and must not hold it back
     * @param releases releases from the outcomes of calls, or null while the job has none
     * @param snapshot agents known at start
     */
    public static Assigned assign(
            DataStream<ContactTask> tasks,
            DataStream<Agent> agents,
            DataStream<AgentRelease> releases,
            AssignmentSettings settings,
            List<Agent> snapshot) {
        TypeInformation<AssignmentInput> type = TypeInformation.of(AssignmentInput.class);
        DataStream<ContactTask> messages =
                tasks.filter(task -> !task.concernsAgents())
                        .name("messages past assignment")
                        .uid("assignment-bypass");
        DataStream<AssignmentInput> inputs =
                tasks.filter(ContactTask::concernsAgents)
                        .name("calls to assign")
                        .uid("assignment-calls")
                        .map(AssignmentInput::of)
                        .returns(type)
                        .name("tasks to assign")
                        .uid("assignment-tasks")
                        .union(
                                agents.map(AssignmentInput::of)
                                        .returns(type)
                                        .name("roster updates")
                                        .uid("assignment-roster"));
        if (releases != null) {
            inputs =
                    inputs.union(
                            releases.map(AssignmentInput::of)
                                    .returns(type)
                                    .name("agent releases")
                                    .uid("assignment-releases"));
        }
        SingleOutputStreamOperator<ContactTask> assigned =
                inputs.keyBy(AssignmentInput::contactCentre, KeyTypes.CONTACT_CENTRE)
                        .process(new Assigner(settings, snapshot))
                        .returns(ContactTask.class)
                        .name("assign calls")
                        .uid(Assigner.UID);
        return new Assigned(
                assigned.union(messages),
                assigned.getSideOutput(Assigner.ALERTS),
                assigned.getSideOutput(Assigner.ASSIGNMENTS));
    }
}
