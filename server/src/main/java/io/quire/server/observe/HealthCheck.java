package io.quire.server.observe;

import java.util.Objects;

/**
 * One readiness check, such as "the contents root is writable" or "the Docker engine answers". Registered with a
 * name on {@link HealthService}, which runs it with a deadline: a check that throws or does not answer in time is
 * reported {@link State#DOWN}, so implementations may simply block and throw.
 *
 * <p>Details are served without authentication (probes carry no token); they must not reveal paths, ids or
 * secrets.
 */
@FunctionalInterface
public interface HealthCheck {
    /**
     * Runs the check.
     *
     * @return the outcome
     */
    Result check();

    /** Whether a check passed. */
    enum State {
        /** The dependency works. */
        UP,
        /** The dependency does not work; the server is not ready. */
        DOWN
    }

    /**
     * The outcome of a check.
     *
     * @param state   up or down
     * @param details a short explanation for people, safe to show without authentication
     */
    record Result(State state, String details) {
        /** Rejects nulls. */
        public Result {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(details, "details");
        }

        /**
         * A passed check.
         *
         * @param details what was checked
         * @return the result
         */
        public static Result up(String details) {
            return new Result(State.UP, details);
        }

        /**
         * A failed check.
         *
         * @param details what is wrong
         * @return the result
         */
        public static Result down(String details) {
            return new Result(State.DOWN, details);
        }
    }
}
