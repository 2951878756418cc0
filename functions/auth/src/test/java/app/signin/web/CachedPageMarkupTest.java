package app.signin.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.config.Branding;
import app.signin.error.Failure;
import app.signin.session.UserSessions;

/**
 * The pages' markup is rendered and JSON-escaped once per container ({@link Pages}, {@link HttpApiJson.Fragment})
 * and a response escapes only its user's values. This proves that shortcut changes nothing a browser gets:
 * the Lambda response bytes of every page equal those of the same page rendered whole and written as one
 * plain HTML body, for users whose values are as awkward as claims can be, and one user's page carries
 * nothing of the user rendered before.
 */
class CachedPageMarkupTest {
    static final PublicOrigin ORIGIN = new PublicOrigin("https", "abc123.example");
    static final Instant NOW = Instant.parse("2026-12-02T07:00:00Z");

    /** email, name, picture, CSRF token. */
    record User(String email, String name, String picture, String csrf) {
    }

    /**
     * Values chosen to break a split page: the stand-ins Pages renders its markup around (NUL v0 NUL ...),
     * lone surrogates at a value's edges (next to markup), line and paragraph separators (which JSON writers
     * treat apart), HTML's and JSON's special characters, control characters, non-ASCII, a name of
     * separators only, a blank or missing name and picture.
     */
    static final List<User> USERS = List.of(
            new User("ada@example.com", "Ada Lovelace", "https://lh3.example.com/a.png?sz=64", "tok-Ada_1"),
            new User("dash@example.com", "-", null, "tok-dash"),
            new User("\u0000v3\u0000@example.com", "\u0000v0\u0000 \u0000v4\u0000", "https://example.com/\u0000v1\u0000",
                    "\u0000v4\u0000"),
            new User("v2@example.com\u0000v2\u0000", "\u0000v2\u0000\u0000v1\u0000", null, "\u0000v0\u0000"),
            new User("\ude00lone@example.com\ud83d", "\ud83d", "https://example.com/\ud83d.png", "\ude00tok\ud83d"),
            new User("a\u2028b@example.com", "Line\u2028Para\u2029End", "https://example.com/a.png#\u2028", "t\u2029"),
            new User("<&\"'>@example.com", "<b>&amp;\"'</b>", "https://example.com/a.png?x=<&\"'>", "\"><img src=x>&'"),
            new User("ctl\u0001\u001f\u007f@example.com", "Tab\tNew\nLine\r\u0008\u000c\\", null, "\\u0000\u0001"),
            new User("\u00e9mile@ex\u00e4mple.com", "\u00c9mile Zola \u65e5\u672c \ud83d\ude00", "https://b\u00fccher.example/\u00e9.png",
                    "\u00e9\ud83d\ude00"),
            new User("blank@example.com", "   ", "", ""),
            new User("noname@example.com", null, "http://example.com/not-https.png", "tok"));

    static final List<Pages> PAGES = List.of(new Pages(Branding.DEFAULT), new Pages(new Branding(
            Optional.of("Acme & Co <\u2028\ud83d\ude00>"), Optional.of(URI.create("https://cdn.example.com/logo.svg")),
            Optional.of("#8a1538"))));

    @Test
    void signedInPage_forAwkwardValues_isByteForByteThePageRenderedWholeAndWrittenPlain() throws IOException {
        for (Pages pages : PAGES) {
            for (User u : USERS) {
                // GIVEN the page rendered whole, written as a plain HTML body
                String whole = pages.signedInRenderedWhole(u.email(), u.name(), u.picture(), u.csrf());
                byte[] plain = written(HttpResponse.html(200, whole).csp(pages.csp()).build(ORIGIN));

                // WHEN the page is built from its cached markup and written piece by piece
                APIGatewayV2HTTPResponse pieced = pages.signedIn(u.email(), u.name(), u.picture(), u.csrf()).build(ORIGIN);

                // THEN the bytes are the same, and they read back as the whole page
                assertThat(pieced).as(u.toString()).isInstanceOf(HttpApiJson.PiecedResponse.class);
                assertThat(written(pieced)).as(u.toString()).isEqualTo(plain);
                assertThat(readBack(pieced).getBody()).as(u.toString()).isEqualTo(whole);
                assertThat(pieced.getBody()).as(u.toString()).isEqualTo(whole);
            }
        }
    }

    @Test
    void signedOutPages_areByteForByteThePagesRenderedWholeAndWrittenPlain() throws IOException {
        for (Pages pages : PAGES) {
            for (boolean notice : new boolean[] {false, true}) {
                String whole = pages.signedOutRenderedWhole(notice);
                APIGatewayV2HTTPResponse pieced = pages.signedOut(notice).build(ORIGIN);

                assertThat(pieced).isInstanceOf(HttpApiJson.PiecedResponse.class);
                assertThat(written(pieced)).isEqualTo(written(HttpResponse.html(200, whole).csp(pages.csp()).build(ORIGIN)));
                assertThat(readBack(pieced).getBody()).isEqualTo(whole);
            }
        }
    }

    /** The pages that share only the cached head (confirm, error, sessions) write it as a plain body would. */
    @Test
    void pagesAfterTheCachedHead_forAwkwardValues_areByteForByteTheirBodyWrittenPlain() throws IOException {
        for (Pages pages : PAGES) {
            for (User u : USERS) {
                List<HttpResponse> built = List.of(pages.confirmSignOut(u.csrf()),
                        pages.error(Failure.STATE_UNKNOWN, u.name(), u.email()),
                        pages.error(Failure.PROVIDER_UNAVAILABLE, u.csrf(), u.name()),
                        pages.sessions(List.of(new UserSessions.Listed(u.csrf(), true, NOW, NOW, u.name()),
                                new UserSessions.Listed(u.email(), false, NOW.minusSeconds(86_400 * 3), NOW, null)),
                                u.csrf(), NOW));
                for (HttpResponse page : built) {
                    APIGatewayV2HTTPResponse pieced = page.build(ORIGIN);
                    String body = page.body();
                    HttpResponse plain = HttpResponse.html(page.status(), body).csp(pages.csp());
                    pieced.getHeaders().forEach(plain::header);

                    assertThat(pieced).as(u.toString()).isInstanceOf(HttpApiJson.PiecedResponse.class);
                    assertThat(written(pieced)).as(u.toString()).isEqualTo(written(plain.build(ORIGIN)));
                    assertThat(readBack(pieced).getBody()).as(u.toString()).isEqualTo(body);
                }
            }
        }
    }

    @Test
    void signedInPage_afterAnotherUsersPage_carriesNothingOfThem_andIsWhatAFreshContainerWrites() throws IOException {
        User alice = new User("alice.q7@a.example", "Alice Aardvark", "https://a.example/alice-q7.png", "csrf-alice-Q7");
        User bob = new User("bob.k9@b.example", "Bob Bobcat", "https://b.example/bob-k9.png", "csrf-bob-K9");
        Pages shared = new Pages(Branding.DEFAULT);

        // GIVEN alice's page built (not yet written) by the container that will serve bob
        APIGatewayV2HTTPResponse alicePage = shared.signedIn(alice.email(), alice.name(), alice.picture(), alice.csrf())
                .build(ORIGIN);
        // WHEN bob's page is built and written, then alice's
        byte[] bobBytes = written(shared.signedIn(bob.email(), bob.name(), bob.picture(), bob.csrf()).build(ORIGIN));
        byte[] aliceBytes = written(alicePage);

        // THEN bob's response holds none of alice's values, and each is what a fresh container would write
        assertThat(text(bobBytes)).doesNotContain("alice").doesNotContain("Alice").doesNotContain("Aardvark")
                .doesNotContain("q7").doesNotContain("Q7").contains("bob.k9@b.example").contains("csrf-bob-K9");
        assertThat(text(aliceBytes)).doesNotContain("bob").doesNotContain("Bob").doesNotContain("k9").doesNotContain("K9")
                .contains("alice.q7@a.example").contains("csrf-alice-Q7");
        assertThat(bobBytes).isEqualTo(written(fresh(bob)));
        assertThat(aliceBytes).isEqualTo(written(fresh(alice)));

        // AND after every awkward user, each page is what a fresh container writes for it alone
        List<byte[]> sharedBytes = new ArrayList<>();
        for (User u : USERS) {
            sharedBytes.add(written(shared.signedIn(u.email(), u.name(), u.picture(), u.csrf()).build(ORIGIN)));
        }
        for (int i = 0; i < USERS.size(); i++) {
            assertThat(sharedBytes.get(i)).as(USERS.get(i).toString()).isEqualTo(written(fresh(USERS.get(i))));
        }
    }

    @Test
    void signedOutAndConfirmPages_afterAUsersPage_carryNothingOfThem() throws IOException {
        Pages shared = new Pages(Branding.DEFAULT);
        Pages freshPages = new Pages(Branding.DEFAULT);
        shared.signedIn("alice.q7@a.example", "Alice Aardvark", "https://a.example/alice-q7.png", "csrf-alice-Q7")
                .build(ORIGIN);
        shared.confirmSignOut("csrf-alice-Q7").build(ORIGIN);

        for (boolean notice : new boolean[] {false, true}) {
            byte[] bytes = written(shared.signedOut(notice).build(ORIGIN));
            assertThat(text(bytes)).doesNotContain("alice").doesNotContain("Aardvark").doesNotContain("Q7");
            assertThat(bytes).isEqualTo(written(freshPages.signedOut(notice).build(ORIGIN)));
        }
        byte[] confirm = written(shared.confirmSignOut("csrf-bob-K9").build(ORIGIN));
        assertThat(text(confirm)).doesNotContain("alice").doesNotContain("Q7").contains("csrf-bob-K9");
        assertThat(confirm).isEqualTo(written(freshPages.confirmSignOut("csrf-bob-K9").build(ORIGIN)));
    }

    private static APIGatewayV2HTTPResponse fresh(User u) {
        return new Pages(Branding.DEFAULT).signedIn(u.email(), u.name(), u.picture(), u.csrf()).build(ORIGIN);
    }

    /** The bytes the Lambda stream gets. */
    private static byte[] written(APIGatewayV2HTTPResponse response) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HttpApiJson.writeResponse(response, out);
        return out.toByteArray();
    }

    private static String text(byte[] written) {
        return new String(written, StandardCharsets.UTF_8);
    }

    /** The response as the Lambda runtime's own serializer reads the bytes back. */
    private static APIGatewayV2HTTPResponse readBack(APIGatewayV2HTTPResponse response) throws IOException {
        return HttpApiJsonTest.RUNTIME_RESPONSES.fromJson(new ByteArrayInputStream(written(response)));
    }
}
