package app.signin.handler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import app.signin.App;
import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.json.Json;
import app.signin.log.Function;
import app.signin.login.NamedUser;
import app.signin.login.SignOut;
import app.signin.session.UserSessions;
import app.signin.snapstart.Primeable;
import app.signin.snapstart.SnapStartPriming;
import app.signin.web.Pipeline;

/**
 * The operators' function, no HTTP route ({@code aws lambda invoke}, README "Operating it"): ends every session
 * of the user the payload names ({@link NamedUser}). Answers {@code {"ended", "requestId"}} or {@code {"error",
 * "message", "requestId"}} (with {@code "ended"} too when the store failed part-way), never an exception; logged (the kind of name only) and counted like every outcome.
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
        for (String name : new String[] {"sub", "email"}) {
            priming.step("payload by " + name, () -> answer(("{\"" + name + "\":\"" + SnapStartPriming.PRIMING_KEY
                    + "\"}").getBytes(StandardCharsets.UTF_8), "snapstart-priming", pipeline.quiet()));
        }
        signOut.primeOperator(priming, pipeline.clock().instant());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String requestId = context == null || context.getAwsRequestId() == null ? "-" : context.getAwsRequestId();
        output.write(answer(input.readNBytes(NamedUser.MAX_PAYLOAD + 1), requestId, pipeline).getBytes(StandardCharsets.UTF_8));
    }

    /** A failure after the sweep began also says how many sessions had ended by then: those are gone. */
    private String answer(byte[] payload, String requestId, Pipeline pipeline) {
        UserSessions.Tally ended = null;
        try {
            NamedUser user = NamedUser.fromPayload(payload);
            ended = new UserSessions.Tally();
            signOut.endAllOf(user, ended);
            pipeline.outcome(Function.END_USER_SESSIONS, requestId, 200, null,
                    "ended " + ended.ended() + " sessions of a user named by " + user.kind());
            return Json.object().put("ended", ended.ended()).put("requestId", requestId).toString();
        } catch (RuntimeException e) {
            SignInException failed = Pipeline.failure(e);
            Failure failure = failed.failure();
            String partly = ended == null ? "" : " after ending " + ended.ended() + " sessions";
            pipeline.outcome(Function.END_USER_SESSIONS, requestId, failure.status(), failure, failed.getMessage() + partly);
            Json answer = Json.object().put("error", failure.reason())
                    .put("message", failure == Failure.BAD_REQUEST ? failed.getMessage() : failure.message());
            if (ended != null) {
                answer.put("ended", ended.ended());
            }
            return answer.put("requestId", requestId).toString();
        }
    }
}
