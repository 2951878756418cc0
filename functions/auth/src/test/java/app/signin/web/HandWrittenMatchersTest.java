package app.signin.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The request id filter and the domainName check are loops on the warm path; each must decide exactly as
 * the regex it replaced, on edge cases and on many random strings over the characters that matter.
 */
class HandWrittenMatchersTest {
    static final Pattern NOT_REQUEST_ID = Pattern.compile("[^A-Za-z0-9=._-]");
    static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?");
    static final String ALPHABET = "aZ09=._-:/ \u00e9\u0660\uff10\ud83d\ude00\"<\n";

    @Test
    void requestIdChars_dropsWhatTheRegexDropped() {
        for (String id : corpus()) {
            assertThat(HttpRequest.requestIdChars(id)).as(id).isEqualTo(NOT_REQUEST_ID.matcher(id).replaceAll(""));
        }
        String clean = "Rk3NbhWwjoEEJ2w=";
        assertThat(HttpRequest.requestIdChars(clean)).isSameAs(clean);
    }

    @Test
    void isDomainName_acceptsWhatTheRegexMatched() {
        List<String> cases = corpus();
        cases.addAll(List.of("a", "abc123.execute-api.eu-west-1.amazonaws.com", "localhost:3000", "a:", ":80",
                "a:123456", "a:12345", "a:1:2", "a.b:0", "a".repeat(253), "a".repeat(254), "a".repeat(253) + ":1",
                "A-B.c", "a_b", "a\u0660", "a:\u0661"));
        for (String s : cases) {
            assertThat(PublicOrigin.isDomainName(s)).as(s).isEqualTo(DOMAIN.matcher(s).matches());
        }
    }

    static List<String> corpus() {
        SplittableRandom random = new SplittableRandom(14);
        List<String> out = new ArrayList<>(List.of("", "-", "=", "abc", "a b", "a\u00e9b"));
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder();
            int n = random.nextInt(12);
            for (int j = 0; j < n; j++) {
                s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            out.add(s.toString());
        }
        return out;
    }
}
