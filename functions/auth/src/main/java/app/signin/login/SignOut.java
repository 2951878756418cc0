package app.signin.login;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.json.Json;
import app.signin.log.Log;
import app.signin.log.Metrics;
import app.signin.oidc.Provider;
import app.signin.session.SentCookie;
import app.signin.session.SessionStore;
import app.signin.session.SessionSummary;
import app.signin.session.Sessions;
import app.signin.session.StoreUnavailableException;
import app.signin.session.UserSessions;
import app.signin.snapstart.SnapStartPriming;

/**
 * Ends sessions at the user's (or an operator's) request: the CSRF token checked, the items deleted, the
 * provider's token revoked (best effort), the endings counted. Whether the request came from this site at
 * all is the handler's check, made before this is called.
 *
 * <p>Only the current session's token can be revoked: every session's tokens are sealed under its own raw
 * id, which only its cookie holds. Deleting another session destroys the only copy of its tokens, and
 * Google's revocation ends the whole grant (every token of this user for this client), so "Sign out
 * everywhere" - which revokes the current session's token - reaches the others' tokens too.
 */
public final class SignOut {
    private final Sessions sessions;
    private final UserSessions userSessions;
    private final Provider provider;
    private final Metrics metrics;

    public SignOut(Sessions sessions, UserSessions userSessions, Provider provider, Metrics metrics) {
        this.sessions = sessions;
        this.userSessions = userSessions;
        this.provider = provider;
        this.metrics = metrics;
    }

    /** What {@link #endOne} did, as far as the answer differs. */
    public enum Ended {
        /** The handle named the session making the request: the browser is signed out, its cookie to clear. */
        CURRENT,
        /** Another of the user's sessions ended - or none had that handle: the answer must be the same. */
        OTHER,
        /** The cookie names no live session: there is nobody whose sessions could be ended. */
        NOT_SIGNED_IN
    }

    /**
     * The CSRF token the Sign out form must carry, if the cookie names a session. No store call: a cookie
     * that verifies is enough to offer the button.
     */
    public Optional<String> csrfToken(SentCookie cookie) {
        return sessions.idFromCookie(cookie.name(), cookie.values()).map(sessions::csrfToken);
    }

    /**
     * The same sign-out over {@code otherSessions} (a throwaway copy, {@link Sessions#onThrowaways}), counting
     * nowhere: SnapStart priming's warming requests end one session each on it (never everywhere, so the
     * user index is not asked).
     */
    public SignOut over(Sessions otherSessions) {
        return new SignOut(otherSessions, userSessions, provider, metrics.writingTo(Log.discard()));
    }

    /** The sessions it ends (priming makes its throwaway copy of them). */
    public Sessions sessions() {
        return sessions;
    }

    /**
     * SnapStart priming for the functions a browser ends its sessions with (logout, End): discovery (the
     * revocation endpoint), the MACs, the delete, the session read and the user index Query that "everywhere"
     * and End make, the session handles, and opening sealed tokens.
     */
    public void prime(SnapStartPriming priming, Instant now) {
        provider.prime(priming);
        sessions.prime(priming, SessionStore.PrimingCall.END_SESSION, now);
        sessions.primeStore(priming, SessionStore.PrimingCall.READ_SESSION, now);
        userSessions.prime(priming, SessionStore.PrimingCall.LIST_USER_SESSIONS, now);
        sessions.primeTokens(priming);
    }

    /** SnapStart priming for the operators' function: the delete (its lookups prime through its own requests). */
    public void primeOperator(SnapStartPriming priming, Instant now) {
        sessions.primeStore(priming, SessionStore.PrimingCall.END_SESSION, now);
    }

    /**
     * Ends the session the cookie names, if any; the form's token is read only then. Throws
     * {@code CSRF_REJECTED} without a valid token, and
     * {@code STORE_UNAVAILABLE} when the item could not be deleted (the browser is signed out all the same
     * once its cookie is cleared).
     */
    public void end(SentCookie cookie, Supplier<String> csrfToken) {
        Optional<Sessions.SessionId> id = verified(cookie, csrfToken);
        if (id.isEmpty()) {
            return;
        }
        try {
            endCurrent(id.get());
        } catch (StoreUnavailableException e) {
            throw new SignInException(Failure.STORE_UNAVAILABLE, "session not deleted; cookie cleared",
                    "You are signed out in this browser; the server will forget the session when it expires.", e);
        }
    }

    /** The Sign out form's request: {@link #endEverywhere} when it asked for {@code everywhere}, else {@link #end(SentCookie, Supplier)}. */
    public void end(SentCookie cookie, boolean everywhere, Supplier<String> csrfToken, Instant now) {
        if (everywhere) {
            endEverywhere(cookie, csrfToken, now);
        } else {
            end(cookie, csrfToken);
        }
    }

    /**
     * "Sign out everywhere": as {@link #end(SentCookie, Supplier)}, after deleting every other session of
     * the cookie's user. The others go first, so a store failure half-way leaves this session, and the
     * button, to try again with.
     */
    public void endEverywhere(SentCookie cookie, Supplier<String> csrfToken, Instant now) {
        Optional<Sessions.SessionId> id = verified(cookie, csrfToken);
        if (id.isEmpty()) {
            return;
        }
        UserSessions.Tally others = new UserSessions.Tally();
        try {
            userSessions.deleteOthers(id.get(), now, others);
            endCurrent(id.get());
        } catch (StoreUnavailableException e) {
            throw new SignInException(Failure.STORE_UNAVAILABLE, "sign out everywhere interrupted",
                    "Not every session could be ended. Please try again in a moment.", e);
        } finally {
            metrics.sessionsEnded(others.ended()); // those that did end count, whatever failed after them
        }
    }

    /**
     * Ends the one session of the cookie's user that {@code handle} names ({@link UserSessions#find}); a
     * handle of nobody's, or of another user's session, ends nothing and reports {@link Ended#OTHER} all
     * the same. Throws {@code CSRF_REJECTED} without a valid token and {@code BAD_REQUEST} for a string that
     * is no handle at all - both before any store call.
     */
    public Ended endOne(SentCookie cookie, Supplier<String> csrfToken, String handle, Instant now) {
        Optional<Sessions.SessionId> id = verified(cookie, csrfToken);
        if (id.isEmpty()) {
            return Ended.NOT_SIGNED_IN;
        }
        if (!UserSessions.isWellFormedHandle(handle)) {
            throw new SignInException(Failure.BAD_REQUEST, "no well-formed session handle");
        }
        // One read, no sliding refresh: this request ends a session, it does not use one.
        Optional<Sessions.Active> live = sessions.peek(id.get(), now);
        if (live.isEmpty()) {
            return Ended.NOT_SIGNED_IN;
        }
        Optional<SessionSummary> match = userSessions.find(live.get(), handle, now);
        if (match.isPresent() && match.get().idHash().equals(id.get().hash())) {
            endCurrent(id.get());
            return Ended.CURRENT;
        }
        if (match.isPresent() && userSessions.delete(match.get())) {
            metrics.sessionEnded();
        }
        return Ended.OTHER;
    }

    /**
     * What an operator's call did ({@link #endAllNamedIn}): the user the payload named ({@code null}: it named no
     * one), how many sessions ended - gone, whatever failed after them - and what stopped it, if anything did.
     */
    public record EndedAll(NamedUser user, int ended, RuntimeException stopped) {
        /** The log line's detail, {@code failed} being what {@code stopped} means: the kind of name, never the name. */
        public String detail(SignInException failed) {
            if (failed == null) {
                return "ended " + ended + " sessions of a user named by " + user.kind();
            }
            return user == null ? failed.getMessage() : failed.getMessage() + " after ending " + ended + " sessions";
        }

        /**
         * The operator's answer: {@code {"ended", "requestId"}}, or {@code {"error", "message", "requestId"}} when
         * {@code failed} - with {@code "ended"} too when it failed after the sweep began: those sessions are gone.
         * Only a bad payload's message is the detail; any other is the failure's own.
         */
        public String answer(SignInException failed, String requestId) {
            if (failed == null) {
                return Json.object().put("ended", ended).put("requestId", requestId).toString();
            }
            Failure failure = failed.failure();
            Json answer = Json.object().put("error", failure.reason())
                    .put("message", failure == Failure.BAD_REQUEST ? failed.getMessage() : failure.message());
            if (user != null) {
                answer.put("ended", ended);
            }
            return answer.put("requestId", requestId).toString();
        }
    }

    /**
     * An operator's call ({@code aws lambda invoke}): every session of the user the payload names
     * ({@link NamedUser#fromPayload}) - by {@code sub}, or every session carrying an e-mail address - ended. Never
     * throws: a payload naming no one, or a store failing half-way, is what stopped it, beside the sessions that
     * had ended by then (each counted, and the metric, as it ended).
     */
    public EndedAll endAllNamedIn(byte[] payload) {
        NamedUser user = null;
        UserSessions.Tally ended = new UserSessions.Tally();
        try {
            user = NamedUser.fromPayload(payload);
            endAllOf(user, ended);
            return new EndedAll(user, ended.ended(), null);
        } catch (RuntimeException e) {
            return new EndedAll(user, ended.ended(), e);
        }
    }

    private void endAllOf(NamedUser user, UserSessions.Tally ended) {
        try {
            if (user.kind() == NamedUser.Kind.SUB) {
                userSessions.deleteAllOf(user.value(), ended);
            } else {
                userSessions.deleteAllWithEmail(user.value(), ended);
            }
        } finally {
            metrics.sessionsEnded(ended.ended()); // those that did end count, whatever failed after them
        }
    }

    /** The cookie's verified id, if it has one; then the form's token must match it. */
    private Optional<Sessions.SessionId> verified(SentCookie cookie, Supplier<String> csrfToken) {
        Optional<Sessions.SessionId> id = sessions.idFromCookie(cookie.name(), cookie.values());
        if (id.isPresent() && !sessions.csrfMatches(id.get(), csrfToken.get())) {
            throw new SignInException(Failure.CSRF_REJECTED, "form without a valid CSRF token");
        }
        return id;
    }

    private void endCurrent(Sessions.SessionId id) {
        Optional<Sessions.Active> ended = sessions.end(id);
        if (ended.isPresent()) {
            metrics.sessionEnded();
        }
        ended.flatMap(sessions::revocableToken).ifPresent(provider::revoke);
    }
}
