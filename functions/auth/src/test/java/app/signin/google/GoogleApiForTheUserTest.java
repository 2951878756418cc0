package app.signin.google;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.nimbusds.jose.util.JSONObjectUtils;

import app.signin.crypto.Keyring;
import app.signin.crypto.TokenCipher;
import app.signin.session.AccessTokens;
import app.signin.session.PendingLogin;
import app.signin.session.SessionStore;
import app.signin.session.SessionTokens;
import app.signin.session.Sessions;
import app.signin.session.StoredSession;
import app.signin.store.DynamoDbSessionStore;
import app.signin.handler.Wiring;
import app.signin.testing.ApiGateway;
import app.signin.testing.Browser;
import app.signin.testing.Handlers;
import app.signin.testing.ProviderSignIn;
import app.signin.testing.SiteUnderTest;
import app.signin.testing.TestDynamoDb;
import app.signin.config.Config;

/**
 * Calling a Google API for the signed-in user, against the in-process provider (mock-oauth2-server: its
 * refresh-token grant and userinfo endpoint) and DynamoDB through moto: the userinfo route answers the
 * claims and never a token, an expired access token is refreshed once and stored, a revoked grant ends the
 * session with 401, and two refreshes at once lose neither the refresh token nor the session. The route is
 * driven as deployed, behind the session authorizer ({@link ApiGateway}).
 */
class GoogleApiForTheUserTest {
    static final String USERINFO = "/api/google/userinfo";
    static final String SUB = "google-user-1";

    SiteUnderTest site;
    RendezvousStore store;
    Browser browser;
    ApiGateway gateway;

    @BeforeEach
    void signIn() {
        TestDynamoDb dynamo = TestDynamoDb.shared();
        // Offline access as a deployment that calls Google APIs has it: the refresh tokens asserted below are
        // asked for, not a side effect of the test provider handing one out whatever the request said.
        site = SiteUnderTest.builder().env(Config.GOOGLE_OFFLINE_ACCESS, "true").store(env -> store = new RendezvousStore(
                new DynamoDbSessionStore(dynamo.client(), env.get(Config.SESSION_TABLE)))).start();
        browser = deployedBrowser();
        APIGatewayV2HTTPResponse login = browser.get("/login");
        assertThat(login.getStatusCode()).as("GET /login; log:%n%s", site.logText()).isEqualTo(302);
        assertThat(browser.get(site.authorize(login, SUB, ProviderSignIn.user(SUB, "alice@example.com")))
                .getStatusCode()).as("callback; log:%n%s", site.logText()).isEqualTo(303);
        site.provider().countRequests("/token"); // drain: count from here on
    }

    @AfterEach
    void stop() {
        site.close();
    }

    @Test
    void userinfo_withAFreshToken_answersTheUsersClaims_andNoToken_withoutARefresh() {
        SessionTokens tokens = storedTokens().orElseThrow();

        APIGatewayV2HTTPResponse r = browser.get(USERINFO);

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        assertThat(r.getHeaders().get("content-type")).startsWith("application/json");
        Map<String, Object> claims = json(r);
        assertThat(claims).containsEntry("sub", SUB).containsEntry("email", "alice@example.com");
        assertThat(r.getBody()).doesNotContain(tokens.accessToken(), tokens.refreshToken());
        assertThat(r.getCookies() == null ? List.of() : r.getCookies()).isEmpty();
        assertThat(site.provider().countRequests("/token")).as("refreshes").isZero();
        assertThat(storedTokens()).contains(tokens);
    }

    @Test
    void afterTheAccessTokenExpires_theNextCallRefreshesOnce_andStoresTheNewToken_keepingTheRefreshToken() {
        SessionTokens before = storedTokens().orElseThrow();
        assertThat(before.hasRefreshToken()).as("offline access gave a refresh token").isTrue();
        // Within the skew of the expiry counts as expired: the token must still be good when it reaches Google.
        site.clock().advance(Duration.between(site.clock().instant(), before.accessTokenExpiresAt())
                .minus(AccessTokens.EXPIRY_SKEW));

        APIGatewayV2HTTPResponse r = browser.get(USERINFO);

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        assertThat(json(r)).containsEntry("sub", SUB);
        assertThat(site.provider().countRequests("/token")).as("refreshes").isEqualTo(1);
        SessionTokens after = storedTokens().orElseThrow();
        assertThat(after.accessToken()).isNotEqualTo(before.accessToken());
        assertThat(after.accessTokenExpiresAt()).isAfter(site.clock().instant().plus(AccessTokens.EXPIRY_SKEW));
        assertThat(after.refreshToken()).isEqualTo(before.refreshToken());
        assertThat(r.getBody()).doesNotContain(after.accessToken(), after.refreshToken());

        assertThat(browser.get(USERINFO).getStatusCode()).isEqualTo(200);
        assertThat(site.provider().countRequests("/token")).as("the stored token is reused").isZero();
        assertThat(site.logText()).doesNotContain(before.accessToken(), before.refreshToken(), after.accessToken(),
                "Bearer");
    }

    @Test
    void whenGoogleRefusesTheRefreshToken_theSessionEnds_andTheRouteAnswers401Json() throws Exception {
        SessionTokens tokens = storedTokens().orElseThrow();
        revokeAtTheProvider(tokens.refreshToken()); // what "Remove access" in the Google account does
        site.clock().advance(Duration.ofHours(1));

        APIGatewayV2HTTPResponse r = browser.get(USERINFO);

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(401);
        assertThat(r.getHeaders().get("content-type")).startsWith("application/json");
        Map<String, Object> body = json(r);
        assertThat(body).containsEntry("error", "google_authorization_ended").containsEntry("login", "/login")
                .containsKey("requestId");
        assertThat(storedSession()).as("the session was ended").isEmpty();
        assertThat(browser.get("/").getBody()).as("signed out on the site too").doesNotContain("alice@example.com");
        // From now on the authorizer finds no session: API Gateway's own 403, before the function
        APIGatewayV2HTTPResponse next = browser.get(USERINFO);
        assertThat(next.getStatusCode()).isEqualTo(403);
        assertThat(next.getBody()).isEqualTo("{\"message\":\"Forbidden\"}");
        assertThat(site.logText()).contains("google_authorization_ended").doesNotContain(tokens.refreshToken(),
                tokens.accessToken());
    }

    @Test
    void signingInAgainWithoutConsent_keepsTheRefreshToken_soTheAccessTokenIsStillRenewedAfterItExpires() {
        // GIVEN a session holding a refresh token: the next login skips the consent screen, and Google then
        // sends no refresh token with the new tokens
        SessionTokens first = storedTokens().orElseThrow();
        String cookieBefore = browser.cookies().get(SiteUnderTest.SESSION_COOKIE);
        APIGatewayV2HTTPResponse login = browser.get("/login");
        String location = login.getHeaders().get("location");
        assertThat(location).contains("access_type=offline").doesNotContain("prompt=");
        String callback = site.authorize(login, SUB, ProviderSignIn.user(SUB, "alice@example.com"));
        site.provider().answerNextExchangeWithoutRefreshToken(location, SUB, ProviderSignIn.user(SUB, "alice@example.com"));

        // WHEN the user signs in again, and uses the API after the new access token expired
        assertThat(browser.get(callback).getStatusCode()).as("callback; log:%n%s", site.logText()).isEqualTo(303);
        assertThat(browser.cookies().get(SiteUnderTest.SESSION_COOKIE)).as("a new session").isNotEqualTo(cookieBefore);
        SessionTokens second = storedTokens().orElseThrow();
        site.provider().countRequests("/token");
        site.clock().advance(Duration.between(site.clock().instant(), second.accessTokenExpiresAt()));
        APIGatewayV2HTTPResponse r = browser.get(USERINFO);

        // THEN the new session kept the old refresh token, and the refresh with it succeeds
        assertThat(second.accessToken()).isNotEqualTo(first.accessToken());
        assertThat(second.refreshToken()).as("carried into the new session").isEqualTo(first.refreshToken());
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        assertThat(json(r)).containsEntry("sub", SUB);
        assertThat(site.provider().countRequests("/token")).as("refreshes").isEqualTo(1);
        assertThat(site.logText()).doesNotContain(first.refreshToken());
    }

    @Test
    void anotherUserSigningInInTheSameBrowser_doesNotInheritTheRefreshToken() {
        // GIVEN alice's session with a refresh token in this browser, and bob signing in without consent
        SessionTokens alices = storedTokens().orElseThrow();
        APIGatewayV2HTTPResponse login = browser.get("/login");
        String bob = "google-user-2";
        String callback = site.authorize(login, bob, ProviderSignIn.user(bob, "bob@example.com"));
        site.provider().answerNextExchangeWithoutRefreshToken(login.getHeaders().get("location"), bob,
                ProviderSignIn.user(bob, "bob@example.com"));

        // WHEN the callback replaces alice's session with bob's
        assertThat(browser.get(callback).getStatusCode()).as("callback; log:%n%s", site.logText()).isEqualTo(303);

        // THEN bob's session has no refresh token at all, and once his access token expires he must sign in
        assertThat(storedSession().orElseThrow().sub()).isEqualTo(bob);
        SessionTokens bobs = storedTokens().orElseThrow();
        assertThat(bobs.hasRefreshToken()).as("alice's refresh token went with her session").isFalse();
        assertThat(alices.hasRefreshToken()).isTrue();
        site.provider().countRequests("/token"); // the exchange: count the refreshes from here on
        site.clock().advance(Duration.ofHours(1));
        APIGatewayV2HTTPResponse r = browser.get(USERINFO);
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(401);
        assertThat(json(r)).containsEntry("error", "google_authorization_ended");
        assertThat(site.provider().countRequests("/token")).as("no refresh with alice's grant").isZero();
    }

    @Test
    void googleRefusingARefreshTokenThatAnotherRequestAlreadyReplaced_withATokenNoLongerFresh_is503_andTheSessionLives()
            throws Exception {
        // GIVEN an expired access token whose refresh token Google refuses - and, while this request's refresh
        // is out, another request's refresh storing tokens whose access token is itself no longer fresh
        // WHEN the function is called (directly: its own read, the refresh, its re-read)
        APIGatewayV2HTTPResponse r = callWithARefusedRefreshWhileAnotherRequestStores(
                before -> new SessionTokens("ya29.winner", site.clock().instant(), "1//winner", before.scope()));

        // THEN the refusal is not taken for the end of the grant: retry later, with the winner's tokens
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(503);
        assertThat(json(r)).containsEntry("error", "provider_unavailable");
        assertThat(r.getHeaders()).containsKey("retry-after");
        assertThat(storedSession()).as("the session was not ended").isPresent();
        assertThat(storedTokens().orElseThrow().refreshToken()).isEqualTo("1//winner");
    }

    @Test
    void googleRefusingARefreshTokenThatAnotherRequestAlreadyReplaced_withAFreshToken_answersWithTheWinnersToken()
            throws Exception {
        // The login's access token, which the provider still accepts, stored by the winner as fresh.
        APIGatewayV2HTTPResponse r = callWithARefusedRefreshWhileAnotherRequestStores(before -> new SessionTokens(
                before.accessToken(), site.clock().instant().plus(Duration.ofHours(1)), "1//winner", before.scope()));

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        assertThat(json(r)).containsEntry("sub", SUB);
        assertThat(storedSession()).isPresent();
    }

    @Test
    void twoRequestsRefreshingAtOnce_bothSucceed_oneWriteWins_andNeitherTheRefreshTokenNorTheSessionIsLost()
            throws Exception {
        SessionTokens before = storedTokens().orElseThrow();
        site.clock().advance(Duration.ofHours(1));
        // Both requests read the expired token and refresh it before either writes back.
        store.meetBeforeReplacing(2);

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<APIGatewayV2HTTPResponse> a = pool.submit(() -> browser.get(USERINFO));
            Future<APIGatewayV2HTTPResponse> b = pool.submit(() -> browser.get(USERINFO));
            assertThat(a.get(20, TimeUnit.SECONDS).getStatusCode()).as(a.get().getBody()).isEqualTo(200);
            assertThat(b.get(20, TimeUnit.SECONDS).getStatusCode()).as(b.get().getBody()).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }

        assertThat(site.provider().countRequests("/token")).as("refreshes").isEqualTo(2);
        assertThat(store.replaced.get()).as("compare-and-set writes that won").isEqualTo(1);
        assertThat(store.refused.get()).as("compare-and-set writes that lost").isEqualTo(1);
        SessionTokens after = storedTokens().orElseThrow();
        assertThat(after.refreshToken()).isEqualTo(before.refreshToken());
        assertThat(after.isFreshAt(site.clock().instant(), AccessTokens.EXPIRY_SKEW)).isTrue();
        assertThat(browser.get(USERINFO).getStatusCode()).isEqualTo(200);
        assertThat(site.provider().countRequests("/token")).as("no third refresh").isZero();
    }

    @Test
    void tokens_neverReachTheSignedInPage_theCookies_orTheAuthorizerContext() {
        SessionTokens tokens = storedTokens().orElseThrow();
        List<String> secrets = List.of(tokens.accessToken(), tokens.refreshToken());

        APIGatewayV2HTTPResponse page = browser.get("/");
        Map<String, Object> decision = Wiring.authorizer(site.app())
                .handleRequest(Browser.event("GET", USERINFO, Map.of(), null, browser.cookieList()), null);

        assertThat(page.getStatusCode()).isEqualTo(200);
        assertThat(page.getBody()).contains("alice@example.com").doesNotContain(secrets);
        assertThat(String.join("; ", browser.cookieList())).doesNotContain(secrets);
        assertThat(decision).containsEntry("isAuthorized", true);
        assertThat(decision.toString()).contains(SUB).doesNotContain(secrets);
    }

    @Test
    void withoutASessionCookie_apiGatewayAnswers403_afterTheAuthorizerDenies_andNeitherTheFunctionNorGoogleIsCalled() {
        Browser anonymous = deployedBrowser();

        APIGatewayV2HTTPResponse r = anonymous.get(USERINFO);

        // What README "Who answers what" says of every route behind the authorizer: not the function's 401
        assertThat(r.getStatusCode()).isEqualTo(403);
        assertThat(r.getBody()).isEqualTo("{\"message\":\"Forbidden\"}");
        assertThat(gateway.authorizerCalls).hasValue(1);
        assertThat(gateway.functionCalls).as("the function is not called").hasValue(0);
        assertThat(site.provider().countRequests("/userinfo")).isZero();
    }

    @Test
    void theFunctionItself_calledWithoutASessionCookie_answers401Json_andCallsNoProvider() {
        // Defence in depth, for a route wired without the authorizer: the function refuses on its own.
        APIGatewayV2HTTPResponse r = site.browser().get(USERINFO);

        assertThat(r.getStatusCode()).isEqualTo(401);
        assertThat(json(r)).containsEntry("error", "not_authenticated").containsKey("requestId");
        assertThat(site.provider().countRequests("/userinfo")).isZero();
    }

    @Test
    void every401OfTheUserinfoFunction_namesTheBearerScheme_inWwwAuthenticate() throws Exception {
        // GIVEN a request without a session (the function called directly) and one whose grant Google revoked
        APIGatewayV2HTTPResponse noSession = site.browser().get(USERINFO);
        revokeAtTheProvider(storedTokens().orElseThrow().refreshToken());
        site.clock().advance(Duration.ofHours(1));

        // WHEN the function refuses both
        APIGatewayV2HTTPResponse revoked = browser.get(USERINFO);

        // THEN each 401 carries the challenge RFC 7235 requires, as /api/me's not_authenticated does
        assertThat(noSession.getStatusCode()).isEqualTo(401);
        assertThat(noSession.getHeaders()).containsEntry("www-authenticate", "Bearer");
        assertThat(revoked.getStatusCode()).isEqualTo(401);
        assertThat(json(revoked)).containsEntry("error", "google_authorization_ended");
        assertThat(revoked.getHeaders()).containsEntry("www-authenticate", "Bearer");
    }

    /**
     * A browser whose {@code GET /api/google/userinfo} goes as deployed: API Gateway, the session authorizer
     * ({@code Auth: SessionAuthorizer} in template.yaml), then the function; the pages as in {@link Handlers}.
     */
    private Browser deployedBrowser() {
        Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> routes =
                new HashMap<>(Handlers.routes(site.app()));
        gateway = new ApiGateway(Wiring.authorizer(site.app()), Wiring.googleUserinfo(site.app()));
        routes.put(USERINFO, gateway);
        return new Browser(routes);
    }

    // ---------------------------------------------------------------------------------------------------

    private Optional<StoredSession> storedSession() {
        return store.getSession(sessionId().hash());
    }

    /** The tokens sealed in the session item, opened the way only the server can. */
    private Optional<SessionTokens> storedTokens() {
        TokenCipher cipher = new TokenCipher(new Keyring(site.app().config().sessionSecrets()), new SecureRandom());
        return storedSession().flatMap(s -> SessionTokens.open(cipher, sessionId().raw(), s));
    }

    private Sessions.SessionId sessionId() {
        return site.app().sessions().idFromCookie(SiteUnderTest.SESSION_COOKIE,
                List.of(browser.cookies().get(SiteUnderTest.SESSION_COOKIE))).orElseThrow();
    }

    /**
     * Google refuses the session's refresh token and its access token has expired; between this request's
     * read and its re-read another request's refresh stores {@code winners} (made from the tokens before).
     * Returns the function's answer (called directly: its own read, the refresh, its re-read).
     */
    private APIGatewayV2HTTPResponse callWithARefusedRefreshWhileAnotherRequestStores(
            java.util.function.UnaryOperator<SessionTokens> winners) throws Exception {
        SessionTokens before = storedTokens().orElseThrow();
        revokeAtTheProvider(before.refreshToken());
        site.clock().advance(Duration.ofHours(1));
        SessionTokens stored = winners.apply(before);
        store.beforeSecondRead(() -> storeAsAnotherRequest(stored));
        return functionAlone().get(USERINFO);
    }

    /** What another request's winning refresh writes: {@code tokens}, sealed, with the compare-and-set. */
    private void storeAsAnotherRequest(SessionTokens tokens) {
        TokenCipher cipher = new TokenCipher(new Keyring(site.app().config().sessionSecrets()), new SecureRandom());
        Sessions.SessionId id = sessionId();
        TokenCipher.Sealed sealed = tokens.seal(cipher, id.raw(), id.hash());
        byte[] current = store.delegate.getSession(id.hash()).orElseThrow().sealedTokens();
        assertThat(store.delegate.replaceTokens(id.hash(), current, sealed.keyId(), sealed.ciphertext())).isTrue();
    }

    /** This browser's cookies, sent to the function without the authorizer in front: its own store reads only. */
    private Browser functionAlone() {
        Browser direct = site.browser();
        direct.cookies().putAll(browser.cookies());
        return direct;
    }

    /** RFC 7009 revocation at the provider, as the user or an admin removing the app's access. */
    private void revokeAtTheProvider(String refreshToken) throws Exception {
        URI endpoint = site.provider().server().revocationEndpointUrl(
                app.signin.testing.TestProvider.ISSUER_ID).uri();
        var c = (java.net.HttpURLConnection) endpoint.toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
        try (var out = c.getOutputStream()) {
            out.write(("token=" + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8)
                    + "&token_type_hint=refresh_token").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(c.getResponseCode()).as("revocation").isEqualTo(200);
        c.disconnect();
        site.provider().countRequests("/revoke");
    }

    private static Map<String, Object> json(APIGatewayV2HTTPResponse r) {
        try {
            return JSONObjectUtils.parse(r.getBody());
        } catch (java.text.ParseException e) {
            throw new AssertionError("not JSON: " + r.getBody(), e);
        }
    }

    /**
     * The real DynamoDB store, with one test hook: when armed, {@code replaceTokens} waits until the given
     * number of callers have arrived - so every refresh has read the old tokens and been answered by the
     * provider before any writes back, and the requests provably overlap instead of merely probably. The
     * writes then go one at a time: one conditional UpdateItem is atomic in DynamoDB, but moto_server checks
     * conditions without a lock, and this test is about what our code does with the loser.
     */
    static final class RendezvousStore implements SessionStore {
        private final SessionStore delegate;
        private volatile CyclicBarrier barrier;
        private final AtomicInteger reads = new AtomicInteger();
        private volatile Runnable beforeSecondRead;
        final AtomicInteger replaced = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();

        RendezvousStore(SessionStore delegate) {
            this.delegate = delegate;
        }

        void meetBeforeReplacing(int parties) {
            barrier = new CyclicBarrier(parties);
        }

        @Override
        public boolean replaceTokens(String idHash, byte[] expectedSealed, String tokenKeyId, byte[] sealedTokens) {
            CyclicBarrier b = barrier;
            if (b != null) {
                try {
                    b.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("the other refresh never arrived", e);
                }
            }
            boolean won;
            synchronized (this) {
                won = delegate.replaceTokens(idHash, expectedSealed, tokenKeyId, sealedTokens);
            }
            (won ? replaced : refused).incrementAndGet();
            return won;
        }

        @Override
        public void putPendingLogin(PendingLogin login) {
            delegate.putPendingLogin(login);
        }

        @Override
        public Optional<PendingLogin> takePendingLogin(String stateHash) {
            return delegate.takePendingLogin(stateHash);
        }

        @Override
        public void putSession(StoredSession session) {
            delegate.putSession(session);
        }

        /** Runs {@code write} just before the second session read from now: between a request's read and its re-read. */
        void beforeSecondRead(Runnable write) {
            reads.set(0);
            beforeSecondRead = write;
        }

        @Override
        public Optional<StoredSession> getSession(String idHash) {
            Runnable write = beforeSecondRead;
            if (write != null && reads.incrementAndGet() == 2) {
                beforeSecondRead = null;
                write.run();
            }
            return delegate.getSession(idHash);
        }

        @Override
        public Optional<StoredSession> deleteSession(String idHash) {
            return delegate.deleteSession(idHash);
        }

        @Override
        public void touchSession(String idHash, Instant lastSeenAt, Instant expiresAt) {
            delegate.touchSession(idHash, lastSeenAt, expiresAt);
        }

        @Override
        public java.util.List<app.signin.session.SessionSummary> sessionsOf(String sub) {
            return delegate.sessionsOf(sub);
        }

        @Override
        public java.util.List<String> sessionIdsWithEmail(String email) {
            return delegate.sessionIdsWithEmail(email);
        }

        @Override
        public void checkReachable() {
            delegate.checkReachable();
        }
    }
}
