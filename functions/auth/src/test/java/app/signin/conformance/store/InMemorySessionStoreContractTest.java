package app.signin.conformance.store;

import app.signin.session.SessionStore;
import app.signin.store.InMemorySessionStore;

/** The local runner's store honours the same contract as DynamoDB's. */
class InMemorySessionStoreContractTest extends SessionStoreContract {
    @Override
    SessionStore newStore() {
        return new InMemorySessionStore();
    }
}
