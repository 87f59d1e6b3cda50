package io.cartrecovery.assignment;

import io.cartrecovery.tasks.ContactTask;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/** The assignment step of the job graph: tasks, roster and releases in; tasks with agents out. */
public final class Assignments {
    private Assignments() {}

    /**
     * @param tasks every contact task, creates and cancels (a cancel releases its call)
     * @param agents roster updates; they carry no event time and must not hold it back
     * @param releases contact outcomes as releases, or null while the job has none
     * @param snapshot agents known at start
     * @return the tasks, calls with {@code assigned_agent}; side outputs {@link Assigner#ALERTS}
     *     and {@link Assigner#ASSIGNMENTS}
     */
    public static SingleOutputStreamOperator<ContactTask> assign(
            DataStream<ContactTask> tasks,
            DataStream<Agent> agents,
            DataStream<AgentRelease> releases,
            AssignmentSettings settings,
            List<Agent> snapshot) {
        TypeInformation<AssignmentInput> type = TypeInformation.of(AssignmentInput.class);
        DataStream<AssignmentInput> inputs =
                tasks.map(AssignmentInput::of)
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
        return inputs.keyBy(AssignmentInput::contactCentre)
                .process(new Assigner(settings, snapshot))
                .returns(ContactTask.class)
                .name("assign calls")
                .uid(Assigner.UID);
    }
}
