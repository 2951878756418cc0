package app.signin.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

/**
 * The one string escaper ({@link Json#string}) against RFC 8259, with an independent parser as the judge:
 * the Lambda runtime's own Jackson (what API Gateway's side of the wire amounts to) must read back exactly
 * the string that was written, and the bytes must be valid UTF-8 - for control characters, U+2028/2029,
 * unpaired surrogates and non-ASCII text alike.
 */
class JsonStringTest {
    static final PojoSerializer<APIGatewayV2HTTPResponse> JACKSON = LambdaEventSerializers
            .serializerFor(APIGatewayV2HTTPResponse.class, JsonStringTest.class.getClassLoader());

    /** {@code s} as the body of a response document, read back by the runtime's Jackson. */
    static String throughJackson(String s) {
        byte[] json = ("{\"statusCode\":200,\"body\":" + Json.string(s) + "}").getBytes(StandardCharsets.UTF_8);
        return JACKSON.fromJson(new ByteArrayInputStream(json)).getBody();
    }

    static void assertValidUtf8(String json) throws CharacterCodingException {
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void everyControlCharacter_isEscaped_withTheShortFormWhereOneExists() {
        for (char c = 0; c < 0x20; c++) {
            String out = Json.string(String.valueOf(c));
            String expected = switch (c) {
                case '\b' -> "\"\\b\"";
                case '\f' -> "\"\\f\"";
                case '\n' -> "\"\\n\"";
                case '\r' -> "\"\\r\"";
                case '\t' -> "\"\\t\"";
                default -> String.format("\"\\u%04x\"", (int) c);
            };
            assertThat(out).as("U+%04X", (int) c).isEqualTo(expected);
            assertThat(throughJackson(String.valueOf(c))).isEqualTo(String.valueOf(c));
        }
    }

    @Test
    void quoteAndBackslash_areEscaped_slashIsNot() {
        assertThat(Json.string("a\"b\\c/d")).isEqualTo("\"a\\\"b\\\\c/d\"");
    }

    @Test
    void lineAndParagraphSeparators_andDelete_areEscaped() {
        assertThat(Json.string("\u2028\u2029\u007f")).isEqualTo("\"\\u2028\\u2029\\u007f\"");
        assertThat(throughJackson("x\u2028y\u2029z\u007f")).isEqualTo("x\u2028y\u2029z\u007f");
    }

    @Test
    void htmlSignificantCharacters_areEscaped_soASniffedBodyCarriesNoMarkup() {
        assertThat(Json.string("<a href=\"x\">&</a>")).isEqualTo("\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\ud800", "\udc00", "a\udbffb", "\udc00\ud800", "\ud83d", "x\ude00"})
    void unpairedSurrogates_areEscaped_soTheBytesStayUtf8_andReadBackUnchanged(String s) throws Exception {
        String out = Json.string(s);

        assertThat(out).doesNotContain("?").matches("\"[\\x20-\\x7e]*\"");
        assertValidUtf8(out);
        assertThat(throughJackson(s)).isEqualTo(s);
    }

    @Test
    void nonAscii_andSurrogatePairs_areWrittenAsTheyAre() {
        assertThat(Json.string("Jos\u00e9 \u4e2d\u6587 \ud83d\ude00")).isEqualTo("\"Jos\u00e9 \u4e2d\u6587 \ud83d\ude00\"");
        assertThat(throughJackson("Jos\u00e9 \u4e2d\u6587 \ud83d\ude00")).isEqualTo("Jos\u00e9 \u4e2d\u6587 \ud83d\ude00");
    }

    @Test
    void nullIsJsonNull() {
        StringBuilder b = new StringBuilder();
        Json.string(b, null);
        assertThat(b).hasToString("null");
    }

    @Test
    void randomStringsFromTheAwkwardCorners_allReadBackExactly_asValidUtf8() throws Exception {
        char[] alphabet = {'a', 'Z', ' ', '"', '\\', '/', '<', '>', '&', '\u0000', '\u001f', '\n', '\u007f', '\u0080',
            '\u00e9', '\u2028', '\u2029', '\ufeff', '\uffff', '\ud800', '\udbff', '\udc00', '\udfff'};
        Random random = new Random(8259);
        for (int i = 0; i < 5_000; i++) {
            StringBuilder s = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                s.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String text = s.toString();
            String out = Json.string(text);
            assertValidUtf8(out);
            assertThat(throughJackson(text)).as("%s", out).isEqualTo(text);
            assertThat(readBackByOurReader(out)).as("%s", out).isEqualTo(text);
        }
    }

    private static Object readBackByOurReader(String json) throws IOException {
        return JsonReader.parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
