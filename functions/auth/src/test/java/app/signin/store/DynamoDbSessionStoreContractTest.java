package app.signin.store;

import app.signin.session.SessionStore;
import app.signin.testing.TestDynamoDb;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The production store against a real DynamoDB API, a fresh table for every test. */
class DynamoDbSessionStoreContractTest extends SessionStoreContract {
    static final TestDynamoDb dynamo = TestDynamoDb.shared();

    DynamoDbClient client;

    @Override
    SessionStore newStore() {
        client = dynamo.client();
        return new DynamoDbSessionStore(client, dynamo.createTable());
    }

    @Override
    void closeStore() {
        client.close();
    }
}
