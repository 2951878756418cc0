package app.signin.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.Test;

class LoopbackTest {

    @Test
    void onlyRealLoopbackHosts_areLoopback() {
        assertThat(Loopback.isLoopback(URI.create("http://localhost:8080"))).isTrue();
        assertThat(Loopback.isLoopback(URI.create("http://127.0.0.1:8080"))).isTrue();
        assertThat(Loopback.isLoopback(URI.create("http://[::1]:8080"))).isTrue();
        assertThat(Loopback.isLoopback(URI.create("http://127.evil.example"))).isFalse();
        assertThat(Loopback.isLoopback(URI.create("http://127.0.0.1.evil.example"))).isFalse();
        assertThat(Loopback.isLoopback(URI.create("http://127.0.0.256"))).isFalse();
    }
}
