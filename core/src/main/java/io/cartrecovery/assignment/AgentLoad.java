package io.cartrecovery.assignment;

/**
 * What an agent has on their plate.
 *
 * @param open calls assigned and not yet released
 * @param day the agent's local date of {@code today} (ISO-8601)
 * @param today calls assigned on {@code day}
 */
public record AgentLoad(int open, String day, int today) {
    static final AgentLoad NONE = new AgentLoad(0, "", 0);

    /** Calls assigned on the agent's local day of {@code time}. */
    int todayAt(Agent agent, long time) {
        return agent.localDay(time).toString().equals(day) ? today : 0;
    }

    AgentLoad plusOne(Agent agent, long time) {
        return new AgentLoad(open + 1, agent.localDay(time).toString(), todayAt(agent, time) + 1);
    }

    AgentLoad released() {
        return new AgentLoad(Math.max(0, open - 1), day, today);
    }
}
