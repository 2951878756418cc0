package app.signin.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import app.signin.net.WebOrigin;

class ReturnToTest {
    static final Set<WebOrigin> SIBLINGS = Set.of(WebOrigin.parseOrigin("https://app.example.com").orElseThrow(),
            WebOrigin.parseOrigin("http://127.0.0.1:3000").orElseThrow());

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "https://app.example.com/dashboard?tab=1,  https://app.example.com/dashboard?tab=1",
        "https://app.example.com,                  https://app.example.com/",
        "HTTPS://APP.EXAMPLE.COM:443/x#frag,       https://app.example.com/x",
        "https://app.example.com?x=1,              https://app.example.com/?x=1",
        "http://127.0.0.1:3000/,                   http://127.0.0.1:3000/",
        "/dashboard,                               /dashboard"})
    void withSiblings_anAbsoluteUrlOnOneOfThem_isKept_inTheFormABrowserReadsIt(String raw, String vetted) {
        assertThat(ReturnTo.sanitize(raw, SIBLINGS)).isEqualTo(vetted);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com.evil.test/", "https://app.example.com@evil.test/",
            "https://app.example.com:8443/", "http://app.example.com/", "https://app.example.com/../x",
            "https://app.example.com//evil.test", "https://app.example.com/%2F%2Fevil.test",
            "https://evil.test/?https://app.example.com/", "https://other.example.com/"})
    void withSiblings_anythingElse_fallsBackToRoot(String raw) {
        assertThat(ReturnTo.sanitize(raw, SIBLINGS)).isEqualTo("/");
    }

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
