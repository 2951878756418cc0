package app.signin.handler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import app.signin.App;
import app.signin.log.Function;
import app.signin.login.NamedUser;
import app.signin.login.SignOut;
import app.signin.snapstart.Primeable;
import app.signin.snapstart.SnapStartPriming;
import app.signin.web.Pipeline;

/**
 * The operators' function, no HTTP route ({@code aws lambda invoke}, README "Operating it"): ends every session
 * of the user the payload names ({@link NamedUser}). Answers JSON ({@link SignOut.EndedAll#answer}), never an
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
            priming.step("payload by " + kind,
                    () -> answer(NamedUser.primingPayload(kind), "snapstart-priming", pipeline.quiet()));
        }
        signOut.primeOperator(priming, pipeline.clock().instant());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String requestId = context == null || context.getAwsRequestId() == null ? "-" : context.getAwsRequestId();
        output.write(answer(input.readNBytes(NamedUser.MAX_PAYLOAD + 1), requestId, pipeline).getBytes(StandardCharsets.UTF_8));
    }

    /** The call ({@link SignOut#endAllNamedIn}), logged and counted like every outcome, as the operator's answer. */
    private String answer(byte[] payload, String requestId, Pipeline pipeline) {
        SignOut.EndedAll all = signOut.endAllNamedIn(payload);
        var failed = all.stopped() == null ? null : Pipeline.failure(all.stopped());
        pipeline.outcome(Function.END_USER_SESSIONS, requestId, failed, all.detail(failed));
        return all.answer(failed, requestId);
    }
}
