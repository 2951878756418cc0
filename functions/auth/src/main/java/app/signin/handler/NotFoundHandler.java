package app.signin.handler;

import java.util.Locale;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.config.Config;
import app.signin.error.Failure;
import app.signin.log.Function;
import app.signin.log.Log;
import app.signin.protect.JsonResponses;
import app.signin.web.HttpApiFunction;
import app.signin.web.HttpRequest;
import app.signin.web.Pages;

/**
 * The HTTP API's {@code $default} route: every path no other route matches. A browser gets the site's own
 * 404 page instead of API Gateway's bare {@code {"message":"Not Found"}}; API clients - anything under
 * {@code /api/}, and any request whose {@code Accept} does not ask for HTML - keep a JSON 404 in the
 * error shape of {@link JsonResponses}.
 *
 * <p>It needs only the branding: no session, no secret, no DynamoDB, so its role has no policy at all,
 * and its init reads three variables (a missing GOOGLE_CLIENT_ID elsewhere does not break the 404).
 */
public final class NotFoundHandler implements HttpApiFunction {
    private final Pages pages;
    private final Log log;

    public NotFoundHandler() {
        this(new Pages(Config.brandingFromEnvironment()), Log.stdout());
    }

    public NotFoundHandler(Pages pages, Log log) {
        this.pages = pages;
        this.log = log;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        HttpRequest request = new HttpRequest(event);
        log.request(Function.NOT_FOUND, request.requestId(), Failure.NOT_FOUND.status(), "rejected",
                Failure.NOT_FOUND.reason(), null);
        if (!wantsHtml(request)) {
            return JsonResponses.error(request, Failure.NOT_FOUND);
        }
        return pages.error(Failure.NOT_FOUND, null, request.requestId()).build(JsonResponses.origin(request));
    }

    /** Browsers put {@code text/html} in the {@code Accept} of every navigation; API clients do not. */
    static boolean wantsHtml(HttpRequest request) {
        return !request.isApi()
                && request.header("accept").map(a -> a.toLowerCase(Locale.ROOT).contains("text/html")).orElse(false);
    }
}
