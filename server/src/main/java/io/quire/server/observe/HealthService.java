package io.quire.server.observe;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.quire.server.http.ErrorResponses;
import io.quire.server.http.JsonBodies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health probes, registered at {@link #PATH}: {@code GET /health/live} answers 200 {@code {"status":"UP"}} whenever
 * the server serves requests; {@code GET /health/ready} runs the named {@link HealthCheck}s and answers 200 when all
 * are UP, else 503, with {@code {"status", "checks": [{"name", "status", "details"}]}}. The 503 body also carries
 * the server's error fields ({@code code}, {@code message}, {@code reason}), so it has the shape of every other
 * error.
 *
 * <p>Design: the checks of one probe run in parallel, each on a virtual thread, and the probe waits for them up to
 * one deadline; a check still running then is DOWN ("did not answer within ..."), one that throws is DOWN naming the
 * exception type (the exception itself is logged, not served: probes need no token). A check still running from an
 * earlier probe is awaited again instead of started a second time, so a hung dependency costs one thread, not one
 * per probe. A change of a check's state is logged once (WARN when it goes down, INFO when it is back).
 */
public final class HealthService implements HttpService {
    /** Where the service is registered. */
    public static final String PATH = "/health";

    private static final Logger LOG = LoggerFactory.getLogger(HealthService.class);

    private final List<Registered> checks;
    private final Duration timeout;

    private HealthService(List<Registered> checks, Duration timeout) {
        this.checks = checks;
        this.timeout = timeout;
    }

    /**
     * A builder without checks and a 2 s deadline.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/live", this::live).get("/ready", this::ready);
    }

    /**
     * Runs every check once, waiting at most the deadline.
     *
     * @return the outcome of each check, in registration order, and the overall state
     */
    public Readiness readiness() {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<CompletableFuture<HealthCheck.Result>> running = checks.stream().map(Registered::start).toList();
        List<NamedResult> results = new ArrayList<>(checks.size());
        for (int i = 0; i < checks.size(); i++) {
            Registered check = checks.get(i);
            HealthCheck.Result result = await(check, running.get(i), deadline);
            check.observe(result);
            results.add(new NamedResult(check.name(), result.state(), result.details()));
        }
        boolean up = results.stream().allMatch(result -> result.state() == HealthCheck.State.UP);
        return new Readiness(up ? HealthCheck.State.UP : HealthCheck.State.DOWN, results);
    }

    private HealthCheck.Result await(Registered check, CompletableFuture<HealthCheck.Result> future, long deadline) {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return HealthCheck.Result.down("did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            check.failure(cause);
            return HealthCheck.Result.down("failed with " + cause.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthCheck.Result.down("the probe was interrupted");
        }
    }

    private void live(ServerRequest request, ServerResponse response) {
        ObjectNode body = JsonBodies.MAPPER.createObjectNode();
        body.put("status", HealthCheck.State.UP.name());
        JsonBodies.ok(response, body);
    }

    private void ready(ServerRequest request, ServerResponse response) {
        Readiness readiness = readiness();
        ObjectNode body = JsonBodies.MAPPER.createObjectNode();
        Status status = readiness.state() == HealthCheck.State.UP ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503;
        if (status != Status.OK_200) {
            body.put("code", ErrorResponses.codeFor(status.code()));
            body.put("message", "the server is not ready: " + readiness.checks().stream()
                    .filter(check -> check.state() == HealthCheck.State.DOWN)
                    .map(check -> check.name() + " is DOWN (" + check.details() + ")")
                    .collect(Collectors.joining(", ")));
            body.put("reason", status.reasonPhrase());
        }
        body.put("status", readiness.state().name());
        ArrayNode list = body.putArray("checks");
        for (NamedResult check : readiness.checks()) {
            list.addObject().put("name", check.name()).put("status", check.state().name())
                    .put("details", check.details());
        }
        JsonBodies.send(response, status, body);
    }

    /**
     * The outcome of a readiness probe.
     *
     * @param state  UP when every check is UP
     * @param checks each check's outcome, in registration order
     */
    public record Readiness(HealthCheck.State state, List<NamedResult> checks) {
        /** Copies the list and rejects nulls. */
        public Readiness {
            Objects.requireNonNull(state, "state");
            checks = List.copyOf(checks);
        }
    }

    /**
     * The outcome of one named check.
     *
     * @param name    the check's name, such as {@code contents}
     * @param state   up or down
     * @param details the explanation
     */
    public record NamedResult(String name, HealthCheck.State state, String details) {
        /** Rejects nulls. */
        public NamedResult {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(details, "details");
        }
    }

    /** Settings of a {@link HealthService}. */
    public static final class Builder {
        private final Map<String, HealthCheck> checks = new LinkedHashMap<>();
        private Duration timeout = Duration.ofSeconds(2);

        private Builder() {
        }

        /**
         * Adds a readiness check.
         *
         * @param name  a unique name, such as {@code contents}, {@code kernels} or {@code docker}
         * @param check the check
         * @return this builder
         * @throws IllegalArgumentException for a blank or duplicate name
         */
        public Builder check(String name, HealthCheck check) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(check, "check");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a health check needs a name");
            }
            if (checks.putIfAbsent(name, check) != null) {
                throw new IllegalArgumentException("a health check named '" + name + "' is already registered");
            }
            return this;
        }

        /**
         * Sets how long a readiness probe waits for its checks.
         *
         * @param value the deadline, positive
         * @return this builder
         * @throws IllegalArgumentException for a zero or negative deadline
         */
        public Builder timeout(Duration value) {
            Objects.requireNonNull(value, "value");
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException("the health check deadline must be positive, got " + value);
            }
            timeout = value;
            return this;
        }

        /**
         * Builds the service.
         *
         * @return the service
         */
        public HealthService build() {
            List<Registered> registered = new ArrayList<>(checks.size());
            checks.forEach((name, check) -> registered.add(new Registered(name, check)));
            return new HealthService(List.copyOf(registered), timeout);
        }
    }

    /** A check with its run in progress, if any, and its last reported state. */
    private static final class Registered {
        private final String name;
        private final HealthCheck check;
        private final AtomicReference<CompletableFuture<HealthCheck.Result>> inFlight = new AtomicReference<>();
        private final AtomicReference<HealthCheck.State> last = new AtomicReference<>(HealthCheck.State.UP);

        Registered(String name, HealthCheck check) {
            this.name = name;
            this.check = check;
        }

        String name() {
            return name;
        }

        CompletableFuture<HealthCheck.Result> start() {
            while (true) {
                CompletableFuture<HealthCheck.Result> current = inFlight.get();
                if (current != null && !current.isDone()) {
                    return current;
                }
                CompletableFuture<HealthCheck.Result> next = new CompletableFuture<>();
                if (inFlight.compareAndSet(current, next)) {
                    Thread.ofVirtual().name("quire-health-" + name).start(() -> {
                        try {
                            next.complete(Objects.requireNonNull(check.check(), "a health check returned null"));
                        } catch (Throwable e) {
                            next.completeExceptionally(e);
                        }
                    });
                    return next;
                }
            }
        }

        void failure(Throwable e) {
            if (last.get() == HealthCheck.State.UP) {
                LOG.warn("health check {} failed", name, e);
            }
        }

        void observe(HealthCheck.Result result) {
            HealthCheck.State previous = last.getAndSet(result.state());
            if (previous != result.state()) {
                if (result.state() == HealthCheck.State.DOWN) {
                    LOG.warn("health check {} is DOWN: {}", name, result.details());
                } else {
                    LOG.info("health check {} is UP again: {}", name, result.details());
                }
            }
        }
    }
}
