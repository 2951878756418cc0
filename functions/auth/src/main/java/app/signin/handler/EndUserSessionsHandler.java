package app.signin.handler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import app.signin.App;
import app.signin.error.SignInException;
import app.signin.log.Function;
import app.signin.login.NamedUser;
import app.signin.login.SignOut;
import app.signin.session.UserSessions;
import app.signin.snapstart.Primeable;
import app.signin.snapstart.SnapStartPriming;
import app.signin.web.Pipeline;

/**
 * The operators' function, no HTTP route ({@code aws lambda invoke}, README "Operating it"): ends every session
 * of the user the payload names ({@link NamedUser}). Answers JSON ({@link NamedUser#answer}), never an
 * exception; logged (the kind of name only) and counted like every outcome.
 */
public final class EndUserSessionsHandler implements RequestStreamHandler, Primeable {
    private final Pipeline pipeline;
    private final SignOut signOut;

    /** Lambda's constructor: the container's graph. */
    public EndUserSessionsHandler() {
        this(App.fromEnvironment().pipeline(), App.fromEnvironment().signOut());
    }

    /** Not an {@link HttpHandler}: registers its own SnapStart priming. */
    public EndUserSessionsHandler(Pipeline pipeline, SignOut signOut) {
        this.pipeline = pipeline;
        this.signOut = signOut;
        SnapStartPriming.register(Function.END_USER_SESSIONS.label(), this, pipeline.log()::info);
    }

    /** Both kinds of payload for a user no session has (the two index Queries), logged nowhere; the delete. */
    @Override
    public void prime(SnapStartPriming priming) {
        for (NamedUser.Kind kind : NamedUser.Kind.values()) {
            priming.step("payload by " + kind, () -> answer(NamedUser.payload(kind, SnapStartPriming.PRIMING_KEY),
                    "snapstart-priming", pipeline.quiet()));
        }
        signOut.primeOperator(priming, pipeline.clock().instant());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String requestId = context == null || context.getAwsRequestId() == null ? "-" : context.getAwsRequestId();
        output.write(answer(input.readNBytes(NamedUser.MAX_PAYLOAD + 1), requestId, pipeline).getBytes(StandardCharsets.UTF_8));
    }

    /** The answer ({@link NamedUser#answer}); the log line of a failure after the sweep began says how far it got. */
    private String answer(byte[] payload, String requestId, Pipeline pipeline) {
        UserSessions.Tally ended = null;
        try {
            NamedUser user = NamedUser.fromPayload(payload);
            ended = new UserSessions.Tally();
            signOut.endAllOf(user, ended);
            pipeline.outcome(Function.END_USER_SESSIONS, requestId, 200, null,
                    "ended " + ended.ended() + " sessions of a user named by " + user.kind());
            return NamedUser.answer(ended, null, requestId);
        } catch (RuntimeException e) {
            SignInException failed = Pipeline.failure(e);
            String partly = ended == null ? "" : " after ending " + ended.ended() + " sessions";
            pipeline.outcome(Function.END_USER_SESSIONS, requestId, failed.failure().status(), failed.failure(),
                    failed.getMessage() + partly);
            return NamedUser.answer(ended, failed, requestId);
        }
    }
}
