package io.quire.server.observe;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.quire.server.http.ApiException;
import io.quire.server.http.BodyLimit;
import io.quire.server.http.ErrorResponses;
import io.quire.server.http.RequestIds;
import io.quire.server.http.TokenAuth;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A small Helidon server with the filters in the order QuireServer is to use (request id, metrics, access log, body
 * limit, token), a test filter that throws on demand, Quire's error handlers, a catch-all 404, and routes given by
 * the test.
 */
final class ObserveServer implements AutoCloseable {
    static final String TOKEN = "t0k";
    static final long MAX_BODY = 16;
    static final HeaderName THROW_IN_FILTER = HeaderNames.create("X-Throw-In-Filter");

    final WebServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ObserveServer(WebServer server) {
        this.server = server;
    }

    static ObserveServer start(ServerMetrics metrics, AccessLog accessLog, HttpMetricsFilter filter,
            List<String> publicPrefixes, Consumer<HttpRouting.Builder> routes) {
        HttpRouting.Builder routing = HttpRouting.builder()
                .addFilter(new RequestIds())
                .addFilter(filter)
                .addFilter(accessLog)
                .addFilter(new BodyLimit(MAX_BODY))
                .addFilter(TokenAuth.create(TOKEN, publicPrefixes))
                .addFilter(ObserveServer::throwWhenAsked)
                .register(MetricsService.PATH, MetricsService.create(metrics.registry()));
        routes.accept(routing);
        routing.any((request, response) -> {
            throw ApiException.notFound("no route for " + request.path().rawPath());
        });
        ErrorResponses.register(routing, e -> null);
        WebServer server = WebServer.builder().host("127.0.0.1").port(0).shutdownHook(false).routing(routing).build()
                .start();
        return new ObserveServer(server);
    }

    /**
     * Throws a 429 from a filter when the request has {@link #THROW_IN_FILTER}: Helidon handles exceptions of filters
     * outside all filters, unlike those of route handlers, which it handles inside the innermost one.
     */
    private static void throwWhenAsked(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        if (request.headers().contains(THROW_IN_FILTER)) {
            throw new ApiException(429, "too_many_requests", "thrown by a filter");
        }
        chain.proceed();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10));
    }

    HttpRequest.Builder authorized(String pathAndQuery) {
        return request(pathAndQuery).header("Authorization", "token " + TOKEN);
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.stop();
        http.close();
    }
}
