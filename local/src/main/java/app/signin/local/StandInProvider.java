package app.signin.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.NettyWrapper;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import no.nav.security.mock.oauth2.token.RequestMapping;
import no.nav.security.mock.oauth2.token.RequestMappingTokenCallback;

import app.signin.web.Pages;

/**
 * A stand-in for Google in this process: mock-oauth2-server with its interactive login, so a developer can
 * sign in with any e-mail address and no Google account, network or client registration.
 *
 * <p>The login page asks for an e-mail address. mock-oauth2-server takes the typed value as the login's
 * subject and, for a {@link RequestMappingTokenCallback}, substitutes it for {@code ${subject}} in the
 * claims: so the ID token says {@code sub} = {@code email} = what was typed (stable: the same address is the
 * same user on every login), {@code email_verified: true}, and carries a {@code name}, like Google's.
 */
final class StandInProvider implements AutoCloseable {
    static final String ISSUER_ID = "google";
    /** Any values do: the stand-in accepts every client. They only have to be the same on both sides. */
    static final String CLIENT_ID = "local-stand-in.apps.googleusercontent.com";
    static final String CLIENT_SECRET = "local-stand-in-client-secret";
    static final String NAME = "Local Test User";

    private final MockOAuth2Server server;
    private final Path loginPage;

    private StandInProvider(MockOAuth2Server server, Path loginPage) {
        this.server = server;
        this.loginPage = loginPage;
    }

    /** Starts the provider on a free loopback port, reachable as {@code http://localhost:<port>}. */
    static StandInProvider start() {
        Path page = loginPage();
        Map<String, Object> claims = Map.of(
                "email", "${subject}",
                "email_verified", true,
                "name", NAME,
                // Google's ID tokens name the client as both audience and authorized party.
                "aud", List.of("${client_id}"),
                "azp", "${client_id}");
        var idToken = new RequestMappingTokenCallback(ISSUER_ID,
                List.of(new RequestMapping("grant_type", "authorization_code", claims, "JWT")), 3600);
        // Netty rather than the default MockWebServer: a long-running server should not record every request
        // it has served (MockWebServer keeps them all for tests to inspect).
        var config = new OAuth2Config(true, page.toString(), null, false, new OAuth2TokenProvider(), Set.of(idToken),
                new NettyWrapper());
        MockOAuth2Server server = new MockOAuth2Server(config);
        try {
            server.start(InetAddress.getByName("localhost"), 0);
        } catch (IOException e) {
            throw new IllegalStateException("the stand-in provider could not start: " + e.getMessage(), e);
        }
        return new StandInProvider(server, page);
    }

    /** The issuer URL the application discovers the provider from. */
    URI issuer() {
        return URI.create(server.issuerUrl(ISSUER_ID).toString().replaceAll("/$", ""));
    }

    @Override
    public void close() {
        server.shutdown();
        try {
            Files.deleteIfExists(loginPage);
        } catch (IOException e) {
            // a temporary file left behind is harmless
        }
    }

    /**
     * mock-oauth2-server serves a custom login page only from a file, so the bundled one is copied out, with
     * the site's own stylesheet in place of its {@code PAGES_CSS} marker: the stand-in looks like the product,
     * and its "This is not Google" box stays its own.
     */
    private static Path loginPage() {
        try (InputStream in = StandInProvider.class.getResourceAsStream("stand-in-login.html")) {
            if (in == null) {
                throw new IllegalStateException("stand-in-login.html is missing from the classpath");
            }
            Path file = Files.createTempFile("stand-in-login-", ".html");
            String html = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("PAGES_CSS", Pages.stylesheet(Pages.DEFAULT_BRAND));
            Files.writeString(file, html, StandardCharsets.UTF_8);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the stand-in login page: " + e.getMessage(), e);
        }
    }
}
