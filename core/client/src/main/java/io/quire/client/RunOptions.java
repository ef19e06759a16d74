package io.quire.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run a notebook: the kernel, parameters to inject (papermill style), and the longest one cell may run.
 * Build with {@link #builder()}; {@link #defaults()} runs on the notebook's own kernel without parameters or timeout.
 */
public final class RunOptions {
    private static final RunOptions DEFAULTS = builder().build();

    private final Optional<String> kernel;
    private final ObjectNode parameters;
    private final Optional<Duration> timeout;

    private RunOptions(Optional<String> kernel, ObjectNode parameters, Optional<Duration> timeout) {
        this.kernel = kernel;
        this.parameters = parameters;
        this.timeout = timeout;
    }

    /**
     * Options that run the notebook on its own kernel ({@code metadata.kernelspec.name}), with no parameters and no
     * cell timeout.
     *
     * @return the options
     */
    public static RunOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The kernel spec to run on instead of the notebook's.
     *
     * @return the spec name, or empty for the notebook's
     */
    public Optional<String> kernel() {
        return kernel;
    }

    /**
     * The parameters, as a JSON object of name to value.
     *
     * @return a copy of the parameters
     */
    public ObjectNode parameters() {
        return parameters.deepCopy();
    }

    /**
     * The longest one cell may run.
     *
     * @return the limit, or empty for none
     */
    public Optional<Duration> timeout() {
        return timeout;
    }

    ObjectNode toJson() {
        ObjectNode body = Wire.JSON.createObjectNode();
        kernel.ifPresent(name -> body.put("kernel", name));
        if (!parameters.isEmpty()) {
            body.set("parameters", parameters.deepCopy());
        }
        timeout.ifPresent(limit -> body.put("timeout_seconds", limit.toMillis() / 1000.0));
        return body;
    }

    /** Builds {@link RunOptions}. Not thread-safe. */
    public static final class Builder {
        private Optional<String> kernel = Optional.empty();
        private final ObjectNode parameters = Wire.JSON.createObjectNode();
        private Optional<Duration> timeout = Optional.empty();

        private Builder() {
        }

        /**
         * Runs on this kernel spec instead of the notebook's.
         *
         * @param name a spec name from {@link QuireClient#kernelSpecs()}
         * @return this builder
         */
        public Builder kernel(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("the kernel name must not be blank");
            }
            this.kernel = Optional.of(name);
            return this;
        }

        /**
         * Adds a parameter from a plain Java value: {@code null}, a String, a Number, a Boolean, or Lists and Maps of
         * those (anything Jackson can turn into JSON). A name given twice keeps its first position and the last value.
         *
         * @param name  the variable name
         * @param value the value
         * @return this builder
         * @throws IllegalArgumentException if the value cannot be turned into JSON
         */
        public Builder parameter(String name, Object value) {
            Objects.requireNonNull(name, "name");
            parameters.set(name, value instanceof JsonNode json ? json.deepCopy() : Wire.JSON.valueToTree(value));
            return this;
        }

        /**
         * Limits how long any one cell may run; a cell over the limit is interrupted and the run ends
         * {@link RunStatus#TIMED_OUT}.
         *
         * @param limit a positive duration (millisecond precision)
         * @return this builder
         * @throws IllegalArgumentException if the limit is zero or negative
         */
        public Builder timeout(Duration limit) {
            Objects.requireNonNull(limit, "limit");
            if (limit.isNegative() || limit.toMillis() <= 0) {
                throw new IllegalArgumentException("the timeout must be at least 1 ms, got " + limit);
            }
            this.timeout = Optional.of(limit);
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         */
        public RunOptions build() {
            return new RunOptions(kernel, parameters.deepCopy(), timeout);
        }
    }
}
