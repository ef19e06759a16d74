package io.quire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.kernel.local.LocalProcessProvisioner;
import io.quire.server.http.CorsConfig;
import io.quire.server.jupyter.ChannelsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws Exception {
        return Files.writeString(dir.resolve("quire.yaml"), text);
    }

    @Test
    void defaults_keepTheDocumentedLimits_corsOff_andKernelsShutDown() {
        ServerConfig config = ServerConfig.defaults();

        assertThat(config.channels()).isEqualTo(ChannelsOptions.defaults());
        assertThat(config.cors().enabled()).isFalse();
        assertThat(config.shutdownKernels()).isTrue();
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.stateDir()).isEqualTo(LocalProcessProvisioner.defaultRuntimeDir().resolve("server")
                .toAbsolutePath());
    }

    @Test
    void yaml_setsChannelLimitsWithJupyterServerNames() throws Exception {
        ServerConfig config = ServerConfig.load(Optional.of(yaml("""
                server:
                  iopub-msg-rate-limit: 50
                  iopub-data-rate-limit: 2500.5
                  rate-limit-window: 0.5
                  ws-queue-max-messages: 200
                  ws-queue-max-bytes: 1_048_576
                  ws-close-grace: 2
                  ws-replay-timeout: 0
                  ws-replay-max-messages: 7
                  ws-replay-max-bytes: 4096
                  ws-direct-write-budget: 0
                """)), Map.of());

        ChannelsOptions channels = config.channels();
        assertThat(channels.iopubMsgRateLimit()).isEqualTo(50);
        assertThat(channels.iopubDataRateLimit()).isEqualTo(2500.5);
        assertThat(channels.rateLimitWindow()).isEqualTo(Duration.ofMillis(500));
        assertThat(channels.maxQueuedMessages()).isEqualTo(200);
        assertThat(channels.maxQueuedBytes()).isEqualTo(1_048_576);
        assertThat(channels.closeGrace()).isEqualTo(Duration.ofSeconds(2));
        assertThat(channels.bufferTimeout()).isZero();
        assertThat(channels.maxBufferedMessages()).isEqualTo(7);
        assertThat(channels.maxBufferedBytes()).isEqualTo(4096);
        assertThat(channels.directWriteBudget()).as("direct writes off").isZero();
    }

    @Test
    void environment_overridesYaml_forEveryKindOfValue() throws Exception {
        ServerConfig config = ServerConfig.load(Optional.of(yaml("""
                server:
                  iopub-msg-rate-limit: 50
                  cors-allowed-origins: [https://a.example]
                  shutdown-kernels: true
                """)), Map.of("QUIRE_IOPUB_MSG_RATE_LIMIT", "0", "QUIRE_CORS_ALLOWED_ORIGINS",
                "https://b.example, http://LOCALHOST:3000", "QUIRE_SHUTDOWN_KERNELS", "false",
                "QUIRE_STATE_DIR", dir.resolve("state").toString(), "QUIRE_SHUTDOWN_GRACE", "2.5"));

        assertThat(config.channels().iopubMsgRateLimit()).isZero();
        assertThat(config.cors().allowedOrigins()).containsExactly("https://b.example", "http://localhost:3000");
        assertThat(config.shutdownKernels()).isFalse();
        assertThat(config.stateDir()).isEqualTo(dir.resolve("state"));
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void yaml_setsCors_normalisingOrigins() throws Exception {
        ServerConfig config = ServerConfig.load(Optional.of(yaml("""
                server:
                  cors-allowed-origins:
                    - https://Lab.Example.org:443
                    - http://127.0.0.1:8080
                  cors-allowed-methods: [get, post]
                  cors-allowed-headers: Authorization, X-Custom
                  cors-allow-credentials: true
                  cors-max-age: 60
                """)), Map.of());

        CorsConfig cors = config.cors();
        assertThat(cors.allowedOrigins()).containsExactly("https://lab.example.org", "http://127.0.0.1:8080");
        assertThat(cors.allowedMethods()).containsExactly("GET", "POST");
        assertThat(cors.allowedHeaders()).containsExactly("authorization", "x-custom");
        assertThat(cors.allowCredentials()).isTrue();
        assertThat(cors.maxAge()).isEqualTo(Duration.ofMinutes(1));
        assertThat(cors.allows("https://lab.example.org")).isTrue();
        assertThat(cors.allows("https://evil.example.org")).isFalse();
    }

    @Test
    void badValues_areRefusedNamingTheKeyAndTheValue() {
        assertRefused("iopub-msg-rate-limit", "-1", "0 (off) or positive");
        assertRefused("iopub-msg-rate-limit", "fast", "must be a number");
        assertRefused("iopub-data-rate-limit", "NaN", "must be a number");
        assertRefused("rate-limit-window", "0", "must be positive");
        assertRefused("rate-limit-window", "3s", "number of seconds");
        assertRefused("ws-queue-max-messages", "0", "must be positive");
        assertRefused("ws-queue-max-messages", "1.5", "whole number");
        assertRefused("ws-queue-max-messages", "99999999999", "at most");
        assertRefused("ws-queue-max-bytes", "-5", "must be positive");
        assertRefused("ws-close-grace", "-1", "must not be negative");
        assertRefused("ws-replay-max-bytes", "lots", "whole number");
        assertRefused("ws-direct-write-budget", "lots", "whole number");
        assertRefused("ws-direct-write-budget", "-1", "0 (off) or positive");
        assertRefused("shutdown-kernels", "maybe", "true or false");
        assertRefused("shutdown-grace", "-2", "must not be negative");
        assertRefused("cors-allowed-origins", "https://a.example/path", "is not an origin");
        assertRefused("cors-allowed-origins", "ftp://a.example", "is not an origin");
        assertRefused("cors-allowed-origins", "*, https://a.example", "cannot be listed with others");
        assertRefused("cors-allowed-methods", "GET, PO ST", "not an HTTP method");
        assertRefused("cors-allowed-headers", "X:Bad", "not an HTTP header name");
        assertRefused("cors-max-age", "-1", "must not be negative");
        assertRefused("no-such-key", "1", "unknown key; known keys: host, port");
    }

    @Test
    void wildcardOrigin_withCredentials_isRefused() {
        ServerConfig wildcard = ServerConfig.defaults().with("cors-allowed-origins", "*", "test:");

        assertThat(wildcard.cors().anyOrigin()).isTrue();
        assertThatThrownBy(() -> wildcard.with("cors-allow-credentials", "true", "test:"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("test:cors-allow-credentials", "'*' cannot be combined with credentials");
    }

    @Test
    void badEnvironmentValue_namesTheVariable() {
        assertThatThrownBy(() -> ServerConfig.load(Optional.empty(), Map.of("QUIRE_RATE_LIMIT_WINDOW", "-3")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("environment variable QUIRE_RATE_LIMIT_WINDOW", "rate-limit-window",
                        "must not be negative", "'-3'");
    }

    @Test
    void everyKey_hasAnEnvironmentVariable() {
        assertThat(ServerConfig.KEYS).allSatisfy(key -> assertThat(ServerConfig.environmentVariable(key))
                .matches("QUIRE_[A-Z_]+"));
        assertThat(ServerConfig.environmentVariable("iopub-msg-rate-limit")).isEqualTo("QUIRE_IOPUB_MSG_RATE_LIMIT");
    }

    private static void assertRefused(String key, String value, String words) {
        assertThatThrownBy(() -> ServerConfig.defaults().with(key, value, "quire.yaml: server."))
                .as("%s: %s", key, value)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("quire.yaml: server." + key + ": ")
                .hasMessageContaining(words)
                .hasMessageContaining("(value '" + value + "')");
    }

    @Test
    void lists_fromYamlAndText_areTheSame() throws Exception {
        ServerConfig fromYaml = ServerConfig.load(Optional.of(yaml("""
                server:
                  cors-allowed-origins: [https://a.example, https://b.example]
                """)), Map.of());
        ServerConfig fromText = ServerConfig.defaults().with("cors-allowed-origins",
                " https://a.example ,https://b.example,", "test");

        assertThat(fromYaml.cors().allowedOrigins()).isEqualTo(fromText.cors().allowedOrigins())
                .isEqualTo(List.of("https://a.example", "https://b.example"));
    }
}
