package io.quire.notebook;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * The skip-or-fail rule for tests that need something installed on the machine (Debian's Python nbformat).
 *
 * <p>On a developer machine without the tool the test is skipped with the reason; on CI (environment variable
 * {@code CI} is {@code true}) the machine is expected to be provisioned, so a missing tool fails the test instead of
 * silently shrinking the suite.
 */
final class TestEnvironment {
    private TestEnvironment() {
    }

    /** Whether the tests run on CI, where every external requirement must be present. */
    static boolean onCi() {
        return "true".equals(System.getenv("CI"));
    }

    /**
     * Continues if the requirement is available; otherwise skips the test, or fails it on CI.
     *
     * @param available whether the requirement is met
     * @param what      what is needed, for the message (e.g. "Python nbformat (/usr/bin/python3 -c 'import nbformat')")
     */
    static void require(boolean available, String what) {
        if (available) {
            return;
        }
        if (onCi()) {
            fail(what + " is required on CI (CI=true) but is not available");
        }
        Assumptions.abort(what + " is not available on this machine; skipping (set CI=true to make this a failure)");
    }
}
