package app.signin.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The request id filter, the domainName check, the avatar's initials and the HTML escaper's shortcut are on
 * the warm path; each must decide exactly as the regex or loop it replaced, on edge cases and on many random
 * strings over the characters that matter.
 */
class HandWrittenMatchersTest {
    static final Pattern NOT_REQUEST_ID = Pattern.compile("[^A-Za-z0-9=._-]");
    static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?");
    static final String ALPHABET = "aZ09=._-:/@ \t\u000B\u2003\u00e9\u0660\uff10\ud83d\ude00\"'<>&\n";

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

    @Test
    void initials_areTheSplitsInitials_andAQuestionMark_whereTheSplitFoundNoWord() {
        List<String> cases = corpus();
        cases.addAll(List.of("Ada King Lovelace", "bob@example.com", "_ada lovelace", "ada_", " \u00e9mile zola ",
                "\ud83d\ude00 smile", "ab\u000Bcd", "x\u2003y", "-", "@", "._-", " - "));
        for (String who : cases) {
            if (who.isBlank()) {
                continue;
            }
            String[] words = who.strip().split("[\\s@._-]+");
            if (words.length == 0) {
                assertThat(Pages.initials(who)).as(who).isEqualTo("?"); // the split's version failed here
            } else {
                assertThat(Pages.initials(who)).as(who).isEqualTo(splitInitials(who, words));
            }
        }
    }

    /** Pages.initials as it was, on its split. */
    private static String splitInitials(String who, String[] words) {
        StringBuilder out = new StringBuilder(4);
        appendFirstLetter(out, words[0]);
        if (words.length > 1 && !who.contains("@")) {
            appendFirstLetter(out, words[words.length - 1]);
        }
        return out.isEmpty() ? "?" : out.toString().toUpperCase(java.util.Locale.ROOT);
    }

    private static void appendFirstLetter(StringBuilder out, String word) {
        if (!word.isEmpty() && Character.isLetterOrDigit(word.codePointAt(0))) {
            out.appendCodePoint(word.codePointAt(0));
        }
    }

    @Test
    void htmlEscape_isTheSameWithItsShortcut() {
        for (String s : corpus()) {
            StringBuilder expected = new StringBuilder();
            s.chars().forEach(c -> expected.append(switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> String.valueOf((char) c);
            }));
            assertThat(Html.escape(s)).isEqualTo(expected.toString());
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
