package io.quire.client.rtu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RtuClientTest {

    @Test
    void endpoint_isTheRtuPathUnderTheBaseUrl_withTheWebSocketScheme() {
        assertThat(RtuClient.create(URI.create("http://127.0.0.1:8888"), "t").endpoint())
                .isEqualTo(URI.create("ws://127.0.0.1:8888/api/v1/rtu"));
        assertThat(RtuClient.create(URI.create("https://quire.example/base/"), "t").endpoint())
                .isEqualTo(URI.create("wss://quire.example/base/api/v1/rtu"));
    }

    @Test
    void create_refusesOtherSchemes() {
        assertThatThrownBy(() -> RtuClient.create(URI.create("ftp://x"), "t"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http or https");
    }

    @Test
    void open_withNothingListening_failsWithAClearError() {
        assertThatThrownBy(() -> RtuClient.create(URI.create("http://127.0.0.1:1"), "t")
                .open("f_x", Duration.ofSeconds(5)))
                .isInstanceOf(RtuException.class).hasMessageContaining("could not connect");
    }
}
