package io.quire.kernel;

import java.util.Map;
import java.util.Objects;

/**
 * The content of an {@code execute_request}.
 *
 * @param code            the code to run
 * @param silent          run without broadcasting output or incrementing the execution count
 * @param storeHistory    store the code in the kernel's history
 * @param userExpressions expressions evaluated after the code, by name
 * @param allowStdin      whether the kernel may send {@code input_request}s
 * @param stopOnError     abort queued executions when this one fails
 */
public record ExecuteRequest(String code, boolean silent, boolean storeHistory, Map<String, String> userExpressions,
                             boolean allowStdin, boolean stopOnError) {
    /** Rejects nulls and copies the map. */
    public ExecuteRequest {
        Objects.requireNonNull(code, "code");
        userExpressions = Map.copyOf(userExpressions);
    }

    /**
     * The request an interactive front end sends: not silent, stored in history, stdin allowed, stop on error.
     *
     * @param code the code
     * @return the request
     */
    public static ExecuteRequest of(String code) {
        return new ExecuteRequest(code, false, true, Map.of(), true, true);
    }

    /**
     * @param allow whether input requests are allowed
     * @return a copy with {@code allow_stdin} set
     */
    public ExecuteRequest withAllowStdin(boolean allow) {
        return new ExecuteRequest(code, silent, storeHistory, userExpressions, allow, stopOnError);
    }

    /**
     * @param stop whether to abort queued executions on error
     * @return a copy with {@code stop_on_error} set
     */
    public ExecuteRequest withStopOnError(boolean stop) {
        return new ExecuteRequest(code, silent, storeHistory, userExpressions, allowStdin, stop);
    }

    /**
     * @param expressions user expressions by name
     * @return a copy with these user expressions
     */
    public ExecuteRequest withUserExpressions(Map<String, String> expressions) {
        return new ExecuteRequest(code, silent, storeHistory, expressions, allowStdin, stopOnError);
    }

    /**
     * @param silentRun whether to run silently (silent also disables history)
     * @return a copy with {@code silent} set
     */
    public ExecuteRequest withSilent(boolean silentRun) {
        return new ExecuteRequest(code, silentRun, !silentRun && storeHistory, userExpressions, allowStdin, stopOnError);
    }

    com.fasterxml.jackson.databind.node.ObjectNode toJson() {
        var json = Json.object()
                .put("code", code)
                .put("silent", silent)
                .put("store_history", storeHistory)
                .put("allow_stdin", allowStdin)
                .put("stop_on_error", stopOnError);
        var expressions = json.putObject("user_expressions");
        userExpressions.forEach(expressions::put);
        return json;
    }
}
