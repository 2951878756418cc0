package app.signin.store;

import app.signin.session.SessionStore;

/** The local runner's store honours the same contract as DynamoDB's. */
class InMemorySessionStoreContractTest extends SessionStoreContract {
    @Override
    SessionStore newStore() {
        return new InMemorySessionStore();
    }
}
