package app.signin.protect;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

import app.signin.error.Failure;
import app.signin.json.Json;

/**
 * The user a request behind the session authorizer belongs to, as the authorizer
 * ({@link Authorizer}, through {@link AuthorizerResponse}) hands it to
 * the route's function in {@code requestContext.authorizer.lambda}: {@code sub} (Google's stable user id -
 * key your data by this, not by e-mail), {@code email}, {@code name}, and {@code via} - how the caller
 * proved who they are: {@link #VIA_SESSION} (the session cookie) or {@link #VIA_BEARER} (a Google ID
 * token in {@code Authorization: Bearer}).
 *
 * <p>{@link #from} fails closed: anything but an explicit {@code authenticated: true} with a non-empty
 * {@code sub} is "nobody", so a function deployed without the authorizer by mistake sees no user rather
 * than an empty one.
 */
public record SignedInUser(String sub, String email, String name, String via) {
    public static final String VIA_SESSION = "session";
    public static final String VIA_BEARER = "bearer";
    static final String AUTHENTICATED = "authenticated";
    static final String REASON = "reason";
    static final String DESCRIPTION = "description";
    static final String VIA = "via";
    static final String SUB = "sub";
    static final String EMAIL = "email";
    static final String NAME = "name";

    /** The signed-in user of this request, or empty. */
    public static Optional<SignedInUser> from(APIGatewayV2HTTPEvent event) {
        Map<String, Object> context = context(event);
        Object authenticated = context.get(AUTHENTICATED);
        String sub = string(context.get(SUB));
        if (!(Boolean.TRUE.equals(authenticated) || "true".equals(authenticated)) || sub.isEmpty()) {
            return Optional.empty();
        }
        String via = VIA_BEARER.equals(context.get(VIA)) ? VIA_BEARER : VIA_SESSION;
        return Optional.of(new SignedInUser(sub, string(context.get(EMAIL)), string(context.get(NAME)), via));
    }

    /**
     * Why the authorizer let an unauthenticated request through (only to routes that answer it themselves), as
     * the failure to answer with; a reason it did not give, or one this code does not know, is "not signed in".
     */
    public static Failure whyNotSignedIn(APIGatewayV2HTTPEvent event) {
        String reason = string(context(event).get(REASON));
        return Arrays.stream(Failure.values()).filter(f -> f.reason().equals(reason)).findFirst()
                .orElse(Failure.NOT_AUTHENTICATED);
    }

    /** What the authorizer said is wrong with a request's credential, for the client (never a token's content). */
    public static Optional<String> descriptionNotSignedIn(APIGatewayV2HTTPEvent event) {
        return Optional.of(string(context(event).get(DESCRIPTION))).filter(s -> !s.isEmpty());
    }

    /**
     * This user as {@code GET /api/me} answers: {@code {"authenticated":true,"sub","email","name","via"}} - what a
     * browser app needs to show who is signed in, and nothing the authorizer did not hand over.
     */
    public String json() {
        return Json.object().put(AUTHENTICATED, true).put(SUB, sub).put(EMAIL, email).put(NAME, name).put(VIA, via)
                .toString();
    }

    /** The authorizer context for this user. API Gateway refuses null values, so absent ones are "". */
    Map<String, Object> toContext() {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put(AUTHENTICATED, true);
        context.put(SUB, sub);
        context.put(EMAIL, email == null ? "" : email);
        context.put(NAME, name == null ? "" : name);
        context.put(VIA, via);
        return context;
    }

    /** The context of a request let through without a session, for a route that answers 401 itself. */
    static Map<String, Object> anonymousContext(String reason, String description) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put(AUTHENTICATED, false);
        context.put(REASON, reason);
        if (description != null) {
            context.put(DESCRIPTION, description);
        }
        return context;
    }

    private static Map<String, Object> context(APIGatewayV2HTTPEvent event) {
        var rc = event == null ? null : event.getRequestContext();
        var authorizer = rc == null ? null : rc.getAuthorizer();
        Map<String, Object> lambda = authorizer == null ? null : authorizer.getLambda();
        return lambda == null ? Map.of() : lambda;
    }

    private static String string(Object value) {
        return value instanceof String s ? s : "";
    }
}
