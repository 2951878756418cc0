package app.signin.conformance.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import app.signin.session.SessionStore;
import app.signin.store.DynamoDbSessionStore;
import app.signin.session.StoredSession;
import app.signin.store.SessionTable;
import app.signin.testing.TestDynamoDb;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The production store against a real DynamoDB API, a fresh table for every test. */
class DynamoDbSessionStoreContractTest extends SessionStoreContract {
    static final TestDynamoDb dynamo = TestDynamoDb.shared();

    DynamoDbClient client;
    String table;

    @Override
    SessionStore newStore() {
        client = dynamo.client();
        table = dynamo.createTable();
        return new DynamoDbSessionStore(client, table);
    }

    /** What a Query on the user index can read is what the list shows - never the e-mail, name or tokens. */
    @Test
    void userIndex_holdsOnlyWhatTheSessionListShows() {
        StoredSession session = sessionOf("sub-projection", now, "Chrome on Linux");
        store.putSession(session);

        var items = client.query(b -> b.tableName(table).indexName(SessionTable.BY_USER)
                .keyConditionExpression("userKey = :u")
                .expressionAttributeValues(Map.of(":u", AttributeValue.fromS(SessionTable.userKey("sub-projection")))))
                .items();

        assertThat(items).singleElement().satisfies(item -> assertThat(item.keySet())
                .containsExactlyInAnyOrder("pk", "userKey", "createdAt", "lastSeenAt", "expiresAt", "device"));
    }

    /** The e-mail index holds keys only: a hash of the address, never the address. */
    @Test
    void emailIndex_holdsKeysOnly() {
        store.putSession(sessionOf("sub-email-index", now, null, "erin@example.com"));

        var items = client.query(b -> b.tableName(table).indexName(SessionTable.BY_EMAIL)
                .keyConditionExpression("emailKey = :e")
                .expressionAttributeValues(Map.of(":e", AttributeValue.fromS(SessionTable.emailKey("erin@example.com")))))
                .items();

        assertThat(items).singleElement().satisfies(item -> {
            assertThat(item.keySet()).containsExactlyInAnyOrder("pk", "emailKey");
            assertThat(item.get("emailKey").s()).doesNotContain("erin");
        });
    }

    @Override
    void closeStore() {
        client.close();
    }

    /**
     * A session item written before emailVerified and hd were stored: it reads as unverified, so the access
     * policy (checked on every read) refuses it and its user signs in once more - the item is never judged
     * by a policy that cannot see what it needs.
     */
    @Test
    void getSession_ofAnItemWithoutEmailVerified_readsAsUnverified() {
        String idHash = hash("legacy");
        client.putItem(b -> b.tableName(table).item(Map.of(
                "pk", AttributeValue.fromS("s#" + idHash),
                "sub", AttributeValue.fromS("sub-legacy"),
                "email", AttributeValue.fromS("old@example.com"),
                "createdAt", AttributeValue.fromN(Long.toString(now.getEpochSecond())),
                "lastSeenAt", AttributeValue.fromN(Long.toString(now.getEpochSecond())),
                "expiresAt", AttributeValue.fromN(Long.toString(now.plus(Duration.ofHours(1)).getEpochSecond())),
                "tokenKeyId", AttributeValue.fromS("k1"),
                "tokens", AttributeValue.fromB(SdkBytes.fromByteArray(bytes("sealed"))))));

        StoredSession read = store.getSession(idHash).orElseThrow();

        assertThat(read.email()).isEqualTo("old@example.com");
        assertThat(read.emailVerified()).isFalse();
        assertThat(read.hostedDomain()).isNull();
    }
}
