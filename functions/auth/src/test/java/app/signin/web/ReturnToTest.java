package app.signin.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReturnToTest {
    @ParameterizedTest
    @ValueSource(strings = {"/", "/dashboard", "/a/b?x=1&y=2", "/search?q=caf%C3%A9", "/p:1@x", "/a-b_c~d"})
    void sameOriginPaths_areKept(String path) {
        assertThat(ReturnTo.sanitize(path)).isEqualTo(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example/", "//evil.example", "/\\evil.example", "\\\\evil.example",
            "javascript:alert(1)", "evil.example", "/%2F%2Fevil.example", "/%5Cevil.example", "/%2e%2e/x",
            "/ /evil", "/\t/evil", "/\r\nSet-Cookie:x=y", "", "///evil.example", "/../x", "/%252F%252Fevil"})
    void anythingElse_fallsBackToRoot(String raw) {
        assertThat(ReturnTo.sanitize(raw)).isEqualTo("/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/page#frag"})
    void fragments_areDropped(String raw) {
        assertThat(ReturnTo.sanitize(raw)).isEqualTo("/page");
    }
}
