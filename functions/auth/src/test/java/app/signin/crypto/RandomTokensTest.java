package app.signin.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RandomTokensTest {
    @Test
    void tokens_are256BitUnpaddedBase64Url_andDistinct() {
        RandomTokens tokens = new RandomTokens(new SecureRandom());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String t = tokens.next();
            assertThat(t).hasSize(43).matches("[A-Za-z0-9_-]+");
            assertThat(RandomTokens.isWellFormed(t)).isTrue();
            seen.add(t);
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void hash_isOneWayAndStable() {
        assertThat(RandomTokens.hash("abc")).isEqualTo(RandomTokens.hash("abc")).isNotEqualTo("abc").hasSize(43);
    }
}
