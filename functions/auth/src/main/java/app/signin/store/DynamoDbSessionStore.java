package app.signin.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import app.signin.session.PendingLogin;
import app.signin.session.SessionStore;
import app.signin.session.SessionSummary;
import app.signin.session.StoreUnavailableException;
import app.signin.session.StoredSession;
import app.signin.snapstart.SnapStartPriming;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbServiceClientConfiguration;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Sessions and pending logins in one DynamoDB table with a string partition key {@code pk} and the TTL
 * attribute {@code expiresAt} (epoch seconds). Items are mapped by hand: no reflection on the request path.
 *
 * <p>Key prefixes keep the two kinds apart: {@code s#} + hash of the session id, {@code l#} + hash of the
 * state. Only hashes are keys, so a copy of the table yields no cookie and no usable state. A user's
 * sessions are found through the indexes {@link SessionTable} describes.
 */
public final class DynamoDbSessionStore implements SessionStore {
    public static final String PK = "pk";
    public static final String TTL = "expiresAt";
    static final String SESSION_PREFIX = "s#";
    static final String LOGIN_PREFIX = "l#";

    private final DynamoDbClient dynamo;
    private final String table;
    /** Built on the first {@link #warm}, from this store's client's configuration; never on a request. */
    private DynamoDbSessionStore twin;

    public DynamoDbSessionStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void putPendingLogin(PendingLogin login) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(LOGIN_PREFIX + login.stateHash()));
        item.put("nonce", s(login.nonce()));
        item.put("verifier", s(login.codeVerifier()));
        item.put("returnTo", s(login.returnTo()));
        item.put(TTL, n(login.expiresAt()));
        putNew(item, "a pending login with this state");
    }

    @Override
    public Optional<PendingLogin> takePendingLogin(String stateHash) {
        // A conditional delete returning the old item is atomic: two callbacks racing on one state cannot
        // both receive it, so at most one of them ever reaches the token endpoint.
        return take(LOGIN_PREFIX + stateHash).map(item -> new PendingLogin(stateHash, str(item, "nonce"),
                str(item, "verifier"), str(item, "returnTo"), instant(item, TTL)));
    }

    @Override
    public void putSession(StoredSession session) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(SESSION_PREFIX + session.idHash()));
        item.put("sub", s(session.sub()));
        putIfPresent(item, "email", session.email());
        item.put("emailVerified", AttributeValue.fromBool(session.emailVerified()));
        putIfPresent(item, "hd", session.hostedDomain());
        putIfPresent(item, "name", session.name());
        putIfPresent(item, "picture", session.picture());
        item.put("createdAt", n(session.createdAt()));
        item.put("lastSeenAt", n(session.lastSeenAt()));
        item.put(TTL, n(session.expiresAt()));
        item.put("tokenKeyId", s(session.tokenKeyId()));
        item.put("tokens", AttributeValue.fromB(SdkBytes.fromByteArray(session.sealedTokens())));
        item.put(SessionTable.USER_KEY, s(SessionTable.userKey(session.sub())));
        if (session.email() != null && !session.email().isEmpty()) {
            item.put(SessionTable.EMAIL_KEY, s(SessionTable.emailKey(session.email())));
        }
        putIfPresent(item, SessionTable.DEVICE, session.device());
        putNew(item, "a session with this id");
    }

    /**
     * Writes an item only where none exists. The SDK retries an attempt that timed out or lost its answer,
     * and DynamoDB may have applied that attempt: the retry then meets the very item it carries. So a failed
     * condition returns the item that is there, and exactly our item counts as written. Anything else under
     * the key is refused, never overwritten: keys are hashes of 256-bit random values, so a real collision
     * is not a realistic cause, and the first login or session must not be hijacked if one ever happened.
     */
    private void putNew(Map<String, AttributeValue> item, String what) {
        try {
            call(() -> dynamo.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(" + PK + ")")
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        } catch (ConditionalCheckFailedException e) {
            if (!item.equals(e.item())) {
                throw new IllegalStateException(what + " already exists", e);
            }
        }
    }

    @Override
    public Optional<StoredSession> getSession(String idHash) {
        // Strongly consistent: the redirect that follows a login must see the session it just created.
        GetItemResponse response = call(() -> dynamo.getItem(b -> b.tableName(table)
                .key(Map.of(PK, s(SESSION_PREFIX + idHash))).consistentRead(true)));
        return response.hasItem() && !response.item().isEmpty()
                ? Optional.of(session(idHash, response.item()))
                : Optional.empty();
    }

    @Override
    public Optional<StoredSession> deleteSession(String idHash) {
        return take(SESSION_PREFIX + idHash).map(item -> session(idHash, item));
    }

    @Override
    public void touchSession(String idHash, Instant lastSeenAt, Instant expiresAt) {
        try {
            call(() -> dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of(PK, s(SESSION_PREFIX + idHash)))
                    .conditionExpression("attribute_exists(" + PK + ")")
                    .updateExpression("SET lastSeenAt = :seen, " + TTL + " = :exp")
                    .expressionAttributeValues(Map.of(":seen", n(lastSeenAt), ":exp", n(expiresAt)))));
        } catch (ConditionalCheckFailedException e) {
            // Logged out in the meantime: nothing to refresh, and no item may be recreated.
        }
    }

    @Override
    public boolean replaceTokens(String idHash, byte[] expectedSealed, String tokenKeyId, byte[] sealedTokens) {
        // Binary equality on the old ciphertext is the version check: no extra attribute, and the IAM grant
        // for this update names exactly pk, tokens and tokenKeyId.
        try {
            call(() -> dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of(PK, s(SESSION_PREFIX + idHash)))
                    .conditionExpression("attribute_exists(" + PK + ") AND tokens = :expected")
                    .updateExpression("SET tokens = :tokens, tokenKeyId = :kid")
                    .expressionAttributeValues(Map.of(
                            ":expected", AttributeValue.fromB(SdkBytes.fromByteArray(expectedSealed)),
                            ":tokens", AttributeValue.fromB(SdkBytes.fromByteArray(sealedTokens)),
                            ":kid", s(tokenKeyId)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public List<SessionSummary> sessionsOf(String sub) {
        List<SessionSummary> found = new ArrayList<>();
        for (Map<String, AttributeValue> item : query(SessionTable.BY_USER, SessionTable.USER_KEY,
                SessionTable.userKey(sub), false)) {
            found.add(new SessionSummary(idHash(item), instant(item, SessionTable.CREATED_AT),
                    instant(item, SessionTable.LAST_SEEN_AT), instant(item, TTL), str(item, SessionTable.DEVICE)));
        }
        return found;
    }

    @Override
    public List<String> sessionIdsWithEmail(String email) {
        List<String> found = new ArrayList<>();
        for (Map<String, AttributeValue> item : query(SessionTable.BY_EMAIL, SessionTable.EMAIL_KEY,
                SessionTable.emailKey(email), true)) {
            found.add(idHash(item));
        }
        return found;
    }

    /**
     * Every item of one index key, page by page. An index key holds a few dozen items at most (20 live
     * sessions per user, plus expired ones until TTL removes them), so reading them all is bounded.
     */
    private List<Map<String, AttributeValue>> query(String index, String keyName, String key, boolean forward) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder request = QueryRequest.builder().tableName(table).indexName(index)
                    .keyConditionExpression("#k = :k")
                    .expressionAttributeNames(Map.of("#k", keyName))
                    .expressionAttributeValues(Map.of(":k", s(key)))
                    .scanIndexForward(forward);
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            QueryResponse page = call(() -> dynamo.query(request.build()));
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    private static String idHash(Map<String, AttributeValue> item) {
        return str(item, PK).substring(SESSION_PREFIX.length());
    }

    @Override
    public void checkReachable() {
        call(() -> dynamo.describeTable(b -> b.tableName(table)));
    }

    /**
     * The SDK's whole request path - signing, HTTP, JSON both ways, error mapping - with the one call the
     * function's role allows, on {@link SnapStartPriming#PRIMING_KEY} (under the prefix its role's
     * {@code dynamodb:LeadingKeys} names). The one write, the login function's, is born expired a second
     * before {@code now}: no callback accepts it, and TTL deletes it within days (TTL ignores expiry times
     * more than five years past, so {@code Instant.EPOCH} would have kept it forever); the callback's own
     * priming deletes it sooner, and being conditional the put fails harmlessly on a later snapshot taken
     * before either did. The index Queries ask for the index key of the priming key ({@code u#} / {@code e#}
     * + its hash), which no real {@code sub} or address hashes to: they read nothing and write nothing.
     */
    @Override
    public void prime(PrimingCall call, Instant now) {
        String key = SnapStartPriming.PRIMING_KEY;
        switch (call) {
            case READ_SESSION -> getSession(key);
            case END_SESSION -> deleteSession(key);
            case TAKE_LOGIN -> takePendingLogin(key);
            case REPLACE_TOKENS -> replaceTokens(key, new byte[1], key, new byte[1]);
            case LIST_USER_SESSIONS -> sessionsOf(key);
            case FIND_BY_EMAIL -> sessionIdsWithEmail(key);
            case SAVE_LOGIN -> {
                try {
                    putPendingLogin(new PendingLogin(key, SnapStartPriming.PRIMING_NONCE, key, "/", now.minusSeconds(1)));
                } catch (IllegalStateException alreadyThere) {
                    // An earlier snapshot's item, not yet removed: the call has primed the client all the same.
                }
            }
        }
    }

    /**
     * The system property through which the Lambda runtime hands each invocation's X-Ray trace header to the
     * SDK; with it set, the SDK's trace interceptor adds an {@code X-Amzn-Trace-Id} header to every call.
     */
    static final String TRACE_HEADER_PROPERTY = "com.amazonaws.xray.traceHeader";
    /** A trace header of the right shape that names no real trace; it goes only to the twins. */
    static final String PRIMING_TRACE_HEADER = "Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0";

    @Override
    public void warm(PrimingCall call, Instant now) {
        withTraceHeader(() -> warmOn(twin(now), call, now));
    }

    /**
     * Runs {@code twinCalls} as an invocation's calls run: the runtime sets the trace header property for
     * every invocation, never during init, so without it the SDK's trace-header path (its interceptor's
     * request copy, and a few lambdas linked on first use) would first run on the first request after a
     * restore. Only the twins' calls see it - nothing else runs while priming does - and it is cleared after.
     */
    private static void withTraceHeader(Runnable twinCalls) {
        boolean set = System.getProperty(TRACE_HEADER_PROPERTY) == null;
        if (set) {
            System.setProperty(TRACE_HEADER_PROPERTY, PRIMING_TRACE_HEADER);
        }
        try {
            twinCalls.run();
        } finally {
            if (set) {
                System.clearProperty(TRACE_HEADER_PROPERTY);
            }
        }
    }

    private static void warmOn(DynamoDbSessionStore t, PrimingCall call, Instant now) {
        String key = SnapStartPriming.PRIMING_KEY;
        switch (call) {
            case READ_SESSION -> t.getSession(key);
            case END_SESSION -> t.deleteSession(key);
            case TAKE_LOGIN -> {
                t.takePendingLogin(key);
                t.putSession(t.getSession(key).orElseThrow());
            }
            case REPLACE_TOKENS -> t.replaceTokens(key, new byte[1], key, new byte[1]);
            case LIST_USER_SESSIONS -> t.sessionsOf(key);
            case FIND_BY_EMAIL -> t.sessionIdsWithEmail(key);
            case SAVE_LOGIN -> t.putPendingLogin(new PendingLogin(key, SnapStartPriming.PRIMING_NONCE, key, "/", now));
        }
    }

    /**
     * This store over a client configured like its own (region, endpoint, timeouts, retries) but with
     * {@link PrimingHttp} for HTTP client and made-up credentials: nothing it does leaves the process.
     */
    private synchronized DynamoDbSessionStore twin(Instant now) {
        if (twin == null) {
            DynamoDbServiceClientConfiguration c = dynamo.serviceClientConfiguration();
            var builder = DynamoDbClient.builder().region(c.region()).overrideConfiguration(c.overrideConfiguration())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")))
                    .httpClient(new PrimingHttp(now));
            c.endpointOverride().ifPresent(builder::endpointOverride);
            twin = new DynamoDbSessionStore(builder.build(), table);
        }
        return twin;
    }

    /** Deletes the item and returns what it held, in one atomic call; empty when there was none. */
    private Optional<Map<String, AttributeValue>> take(String pk) {
        DeleteItemResponse response;
        try {
            response = call(() -> dynamo.deleteItem(b -> b.tableName(table).key(Map.of(PK, s(pk)))
                    .conditionExpression("attribute_exists(" + PK + ")")
                    .returnValues(ReturnValue.ALL_OLD)));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = response.attributes();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    private static StoredSession session(String idHash, Map<String, AttributeValue> item) {
        AttributeValue tokens = item.get("tokens");
        // A session written before emailVerified was stored reads as unverified: the policy then refuses it
        // and its user signs in once more, rather than an item the policy cannot judge being let through.
        AttributeValue verified = item.get("emailVerified");
        return new StoredSession(idHash, str(item, "sub"), str(item, "email"),
                verified != null && Boolean.TRUE.equals(verified.bool()), str(item, "hd"), str(item, "name"),
                str(item, "picture"), instant(item, "createdAt"), instant(item, "lastSeenAt"), instant(item, TTL),
                str(item, "tokenKeyId"), tokens == null || tokens.b() == null ? new byte[0] : tokens.b().asByteArray(),
                str(item, SessionTable.DEVICE));
    }

    /**
     * Translates SDK failures into the store's one failure type. Conditional-check failures pass through:
     * they are answers, not outages.
     */
    private static <T> T call(java.util.function.Supplier<T> operation) {
        try {
            return operation.get();
        } catch (ConditionalCheckFailedException e) {
            throw e;
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB call failed: " + e.getClass().getSimpleName(), e);
        }
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null && !value.isEmpty()) {
            item.put(name, s(value));
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(Instant instant) {
        return AttributeValue.fromN(Long.toString(instant.getEpochSecond()));
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        // A missing or unreadable time is treated as already expired: fail closed.
        if (v == null || v.n() == null) {
            return Instant.EPOCH;
        }
        try {
            return Instant.ofEpochSecond(Long.parseLong(v.n()));
        } catch (NumberFormatException e) {
            return Instant.EPOCH;
        }
    }
}
