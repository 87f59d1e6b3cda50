package io.cartrecovery.assignment;

import static io.cartrecovery.assignment.AssignmentFixtures.MINUTE;
import static io.cartrecovery.assignment.AssignmentFixtures.T0;
import static io.cartrecovery.assignment.AssignmentFixtures.agent;
import static io.cartrecovery.assignment.AssignmentFixtures.call;
import static io.cartrecovery.assignment.AssignmentFixtures.cancel;
import static io.cartrecovery.assignment.AssignmentFixtures.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.cartrecovery.config.AssignmentOptions;
import io.cartrecovery.tasks.ContactTask;
import io.cartrecovery.tasks.TaskType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/**
 * The assignment rules without Flink: the contact centre's state in maps, the effects in lists,
 * event time moved by hand. What the operator adds (keyed state, timers, outputs) is
 * AssignerTest's.
 */
class AssignmentRulesTest {

    private static final class Run implements AssignmentEffects {
        final InMemoryContactCentreState state = new InMemoryContactCentreState();
        final List<ContactTask> tasks = new ArrayList<>();
        final List<Alert> alerts = new ArrayList<>();
        final List<Assignment> assignments = new ArrayList<>();
        final TreeSet<Long> wakeUps = new TreeSet<>();
        final AssignmentRules rules;
        long watermark = Long.MIN_VALUE;

        Run(Agent... roster) {
            rules =
                    new AssignmentRules(
                            AssignmentOptions.assignment(Configuration.fromMap(Map.of())),
                            List.of(roster));
        }

        void accept(AssignmentInput input) {
            rules.accept(state, input, watermark, this);
        }

        void advanceTo(long to) {
            while (!wakeUps.isEmpty() && wakeUps.first() <= to) {
                long at = wakeUps.pollFirst();
                watermark = at;
                rules.advance(state, at, this);
            }
            watermark = to;
        }

        @Override
        public void task(ContactTask task) {
            tasks.add(task);
        }

        @Override
        public void alert(Alert alert) {
            alerts.add(alert);
        }

        @Override
        public void assignment(Assignment assignment) {
            assignments.add(assignment);
        }

        @Override
        public void wakeAt(long at) {
            wakeUps.add(at);
        }
    }

    @Test
    void aCallGoesToTheLeastLoadedAgentOnShiftAtTheMomentItsCartWasFoundAbandoned() {
        Run run = new Run(agent("a1").build(), agent("a2").build());
        run.accept(AssignmentInput.of(call("x", T0)));
        run.accept(AssignmentInput.of(call("y", T0 + MINUTE)));
        // Nothing is decided before event time reaches each call's moment.
        assertThat(run.tasks).isEmpty();

        run.advanceTo(T0 + MINUTE);
        assertThat(run.tasks)
                .extracting(ContactTask::taskId, ContactTask::assignedAgent)
                .containsExactly(
                        tuple(call("x", T0).taskId(), "a1"), tuple(call("y", T0).taskId(), "a2"));
        assertThat(run.assignments).extracting(Assignment::time).containsExactly(T0, T0 + MINUTE);
    }

    @Test
    void messagesPassThroughAndACancelReleasesItsAgentForTheQueue() {
        Run run = new Run(agent("a1").maxOpen(1).build());
        run.watermark = T0;
        run.accept(AssignmentInput.of(message("m", T0)));
        assertThat(run.tasks)
                .singleElement()
                .satisfies(t -> assertThat(t.assignedAgent()).isNull());
        assertThat(run.state.followedCalls()).isZero();

        run.accept(AssignmentInput.of(call("x", T0)));
        run.accept(AssignmentInput.of(call("y", T0)));
        ContactTask queued = run.tasks.get(2);
        assertThat(queued.assignedAgent()).isNull();

        run.accept(AssignmentInput.of(cancel(call("x", T0), T0 + 5 * MINUTE)));
        run.advanceTo(T0 + 5 * MINUTE);
        assertThat(run.tasks)
                .filteredOn(t -> t.type() == TaskType.CREATE && t.assignedAgent() != null)
                .extracting(ContactTask::taskId)
                .containsExactly(call("x", T0).taskId(), call("y", T0).taskId());
    }

    @Test
    void nothingIsFollowedOnceEveryCallIsOverAndForgotten() {
        Run run = new Run(agent("a1").build());
        run.accept(AssignmentInput.of(call("x", T0)));
        run.advanceTo(T0 + 30 * 24 * 60 * MINUTE);
        assertThat(run.alerts)
                .extracting(Alert::type)
                .containsExactly(Alert.Type.SLA_AT_RISK, Alert.Type.SLA_BREACHED);
        assertThat(run.state.followedCalls()).isZero();
        assertThat(run.wakeUps).isEmpty();
    }
}
