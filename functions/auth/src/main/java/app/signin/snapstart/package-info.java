/**
 * SnapStart priming: just before Lambda snapshots an initialised container, the function runs the code a
 * request will run, so the classes are loaded, initialised and compiled in the snapshot instead of on the
 * first request after every restore. This package depends on nothing above it: each handler primes itself
 * (and asks the components it uses - the store, the provider - to prime themselves), registered once per
 * container by the shared handler base ({@code handler.HttpHandler}'s constructor).
 *
 * <p><b>Adding priming to a new function</b>: give its handler a {@link app.signin.log.Function} name and
 * implement {@code prime(SnapStartPriming)} - send a harmless request of its own
 * ({@code primingRequest().send(...)}, through the handler's pipeline, logged and counted nowhere), then call
 * the {@code prime} methods of the domain objects it uses, each told which store call the function's IAM role
 * allows (for example {@code sessions.prime(priming, SessionStore.PrimingCall.READ_SESSION)}, which also warms
 * the store's client on a twin that reaches no one); then warm the JIT with the function's real hot path,
 * {@code priming.warm(name, SnapStartPriming.JIT_ROUNDS, copy.primingRequest().request(...))}, where
 * {@code copy} is the handler over throwaway collaborators ({@code sessions.onThrowaways(...)}: an in-memory
 * store, its own {@code SecureRandom}) - {@code handler.JitWarming} has one such method per function. A handler
 * that does not extend {@code HttpHandler} registers itself with {@link SnapStartPriming#register} in its
 * constructor ({@code AuthorizerHandler}).
 *
 * <p><b>Bounds</b>: warming runs at most {@link SnapStartPriming#WARMING_BUDGET_NANOS} (plus one step), then
 * waits at most {@link SnapStartPriming#JIT_QUIET_WAIT_NANOS} for the JIT queue to drain: at most 1.4 s more
 * init per function, once per published version. Each function logs what it did
 * ({@code snapstart priming (index): N warming rounds in M ms, JIT queue drained in K ms}).
 *
 * <p><b>The rules every priming step keeps</b>:
 * <ul>
 * <li>It never draws from the application's {@link java.security.SecureRandom}. Every state, nonce, PKCE
 * verifier, session id and IV is drawn per request, after restore, so no two restored copies of the
 * snapshot can share one (AWS: "Handling uniqueness with Lambda SnapStart"). Code that draws runs on a
 * throwaway copy with its own random source and an in-memory store.</li>
 * <li>It makes no call the function's IAM role forbids, and only on {@link SnapStartPriming#PRIMING_KEY},
 * a key no real item can have (real keys are 43-character base64url hashes). A write is born expired, so
 * no request can accept it and TTL removes it.</li>
 * <li>It caches nothing time-bound or secret: the discovery document is stable, the JWKS cache of the real
 * verifier is not touched (the first callback fetches the keys, on the restored clock), and the HTTP
 * clients' idle connections expire by time, so a restore long after the snapshot opens fresh ones. Hence
 * there is nothing to refresh after restore.</li>
 * <li>It may fail: a failing step is logged and skipped. Priming can make a snapshot faster, never break it.</li>
 * <li>Its warming requests are no one's: they run on copies that log and count nowhere, so no metric, alarm
 * or log line sees them.</li>
 * </ul>
 */
package app.signin.snapstart;
