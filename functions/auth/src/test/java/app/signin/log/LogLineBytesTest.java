package app.signin.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Log lines are encoded by {@link Log} itself, not by println's char encoder: the bytes on the stream must
 * be println's all the same, in every charset a stream can have - a byte-order mark once, not per line.
 */
class LogLineBytesTest {
    @ParameterizedTest
    @ValueSource(strings = {"UTF-8", "US-ASCII", "ISO-8859-1", "UTF-16", "UTF-16LE", "UTF-32", "x-UTF-16LE-BOM",
            "windows-1252"})
    void logLines_inAnyCharset_areTheBytesPrintlnWrites(String name) {
        Charset charset = Charset.forName(name);
        String[] lines = {"{\"message\":\"plain\"}", "{\"message\":\"\u00e9t\u00e9 \ud83d\ude00 \u65e5\u672c\"}", ""};

        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        Log log = new Log(new PrintStream(ours, true, charset));
        ByteArrayOutputStream println = new ByteArrayOutputStream();
        PrintStream plain = new PrintStream(println, true, charset);
        for (String line : lines) {
            log.write(line);
            plain.println(line);
        }

        assertThat(ours.toByteArray()).isEqualTo(println.toByteArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-16", "UTF-32", "x-UTF-16LE-BOM"})
    void charsetsWithAByteOrderMark_goThroughPrintln_utf8AsciiAndLatin1AreEncodedLineByLine(String name) {
        assertThat(Log.encodesLineByLine(Charset.forName(name))).isFalse();
        assertThat(Log.encodesLineByLine(StandardCharsets.UTF_8)).isTrue();
        assertThat(Log.encodesLineByLine(StandardCharsets.US_ASCII)).isTrue();
        assertThat(Log.encodesLineByLine(StandardCharsets.ISO_8859_1)).isTrue();
    }
}
