package io.quire.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.quire.server.http.ApiException;
import io.quire.testing.Await;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class AccessLogTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Logger logger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER_NAME);
    /** Captures the logging context at append time (a plain ListAppender would read it later, on the test thread). */
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            super.append(event);
        }
    };
    /** Each reading of the fake clock is 3.25 ms after the previous one. */
    private final AtomicLong clock = new AtomicLong();
    private Level previousLevel;
    private boolean previousAdditive;
    private ObserveServer server;

    @BeforeEach
    void start() {
        previousLevel = logger.getLevel();
        previousAdditive = logger.isAdditive();
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
        ServerMetrics metrics = ServerMetrics.create(List::of);
        server = ObserveServer.start(metrics, AccessLog.create(() -> clock.addAndGet(3_250_000)),
                HttpMetricsFilter.create(metrics), List.of("/health/"), routing -> routing
                        .get("/api/kernels/{id}", (request, response) -> {
                            if (request.path().pathParameters().get("id").equals("missing")) {
                                throw ApiException.notFound("no kernel missing");
                            }
                            response.send("{\"id\":\"k1\"}");
                        }));
    }

    @AfterEach
    void stop() {
        server.close();
        logger.detachAppender(appender);
        appender.stop();
        logger.setLevel(previousLevel);
        logger.setAdditive(previousAdditive);
    }

    private ILoggingEvent onlyEvent() {
        return Await.untilPresent(WAIT, () -> "an access log line", () -> {
            synchronized (appender) {
                return appender.list.isEmpty() ? null : appender.list.getFirst();
            }
        });
    }

    @Test
    void logsMethodPathStatusBytesAndDurationOnOneLine() throws Exception {
        HttpResponse<String> response = server.send(server.authorized("/api/kernels/k1").GET().build());

        ILoggingEvent event = onlyEvent();
        assertThat(event.getLevel()).isEqualTo(Level.INFO);
        assertThat(event.getLoggerName()).isEqualTo("io.quire.server.access");
        assertThat(event.getFormattedMessage())
                .isEqualTo("GET /api/kernels/k1 200 " + response.body().length() + " 3.2 ms");
    }

    @Test
    void neverLogsTheQueryStringWhereTokensTravel() throws Exception {
        HttpResponse<String> response = server.send(server.request("/api/kernels/k1?token=" + ObserveServer.TOKEN
                + "&x=1").GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        ILoggingEvent event = onlyEvent();
        assertThat(event.getFormattedMessage()).startsWith("GET /api/kernels/k1 200 ")
                .doesNotContain("token=").doesNotContain(ObserveServer.TOKEN).doesNotContain("?");
        assertThat(event.getKeyValuePairs()).extracting(pair -> String.valueOf(pair.value))
                .noneMatch(value -> value.contains("token=") || value.contains(ObserveServer.TOKEN));
    }

    @Test
    void carriesTheRequestIdInTheLoggingContext() throws Exception {
        server.send(server.authorized("/api/kernels/k1").header("X-Request-Id", "req-42").GET().build());

        assertThat(onlyEvent().getMDCPropertyMap()).containsEntry("requestId", "req-42");
    }

    @Test
    void carriesTheRequestIdAndFinalStatusOfAResponseSentByTheErrorHandler() throws Exception {
        HttpResponse<String> response = server.send(server.authorized("/api/kernels/missing")
                .header("X-Request-Id", "req-404").GET().build());

        assertThat(response.statusCode()).isEqualTo(404);
        ILoggingEvent event = onlyEvent();
        assertThat(event.getFormattedMessage()).startsWith("GET /api/kernels/missing 404 ");
        assertThat(event.getMDCPropertyMap()).containsEntry("requestId", "req-404");
    }

    @Test
    void restoresTheRequestIdForAnErrorHandledAfterAllFiltersReturned() throws Exception {
        HttpResponse<String> response = server.send(server.authorized("/api/kernels/k1")
                .header(ObserveServer.THROW_IN_FILTER.defaultCase(), "yes").header("X-Request-Id", "req-429").GET()
                .build());

        assertThat(response.statusCode()).isEqualTo(429);
        ILoggingEvent event = onlyEvent();
        assertThat(event.getFormattedMessage()).startsWith("GET /api/kernels/k1 429 ");
        assertThat(event.getMDCPropertyMap()).containsEntry("requestId", "req-429");
    }

    @Test
    void logsA413OfTheBodyLimitWithStructuredFields() throws Exception {
        server.send(server.authorized("/api/kernels/k1")
                .POST(HttpRequest.BodyPublishers.ofString("y".repeat(100))).build());

        ILoggingEvent event = onlyEvent();
        assertThat(event.getKeyValuePairs()).extracting(pair -> pair.key + "=" + pair.value)
                .containsExactly("method=POST", "path=/api/kernels/k1", "status=413",
                        "bytes=" + event.getKeyValuePairs().get(3).value, "durationMs=3.2");
        assertThat(event.getKeyValuePairs().get(3).value).isNotEqualTo("-");
    }

    @Test
    void millis_showsOneDecimal() {
        assertThat(AccessLog.millis(3_250_000)).isEqualTo("3.2");
        assertThat(AccessLog.millis(12_000_000_000L)).isEqualTo("12000.0");
        assertThat(AccessLog.millis(0)).isEqualTo("0.0");
    }
}
