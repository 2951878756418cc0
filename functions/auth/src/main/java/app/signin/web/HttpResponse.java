package app.signin.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import app.signin.error.SignInException;

/**
 * Builds API Gateway payload 2.0 responses with the security headers every response carries: no caching
 * (every page here depends on the session), no referrer (callback URLs hold codes), a CSP that forbids
 * framing and scripts, {@code nosniff}, and HSTS on https.
 */
public final class HttpResponse {
    // object-src is covered by default-src 'none' already; it is spelled out because ASVS 5.0 3.4.3 asks
    // for it by name and a reviewer should not have to know the fallback rules.
    // Responses that are not pages (redirects, JSON) may load nothing at all. Pages add what they use
    // (pageCsp): https and data: images (picture, logo, favicon) and their one stylesheet, by hash.
    static final String CSP = "default-src 'none'; object-src 'none'; form-action 'self'; frame-ancestors 'none'; "
            + "base-uri 'none'";
    // HTML from html(): your own pages behind RequireLogin, which may use inline styles as before. The
    // service's own pages replace it with pageCsp, which allows only their stylesheet.
    static final String HTML_CSP = "default-src 'none'; object-src 'none'; img-src https: data:; style-src 'unsafe-inline'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final List<String> cookies = new ArrayList<>();
    /** Null while a page's {@link #pieces} are not yet joined (nothing on the Lambda path needs them joined). */
    private String body = "";
    /** The pieces the body is (see {@link #html(int, Object...)}), or null. */
    private Object[] pieces;
    private String csp = CSP;
    private SignInException refused;

    private HttpResponse(int status) {
        this.status = status;
    }

    public static HttpResponse html(int status, String html) {
        return new HttpResponse(status).header("content-type", "text/html; charset=utf-8").body(html).csp(HTML_CSP);
    }

    /**
     * A page whose body is {@code pieces} joined: {@link HttpApiJson.Fragment}s (constant markup) and
     * strings (the values between them, already escaped). The same body as {@link #html(int, String)} with
     * the joined text, but written to the Lambda response with each fragment's JSON form computed once - and
     * joined only if someone asks for the text ({@link #body()}, {@code getBody()}): the stream path writes
     * the pieces.
     */
    static HttpResponse html(int status, Object... pieces) {
        for (Object piece : pieces) {
            if (!(piece instanceof HttpApiJson.Fragment) && !(piece instanceof String)) {
                throw new IllegalArgumentException("a page piece is a fragment or a string");
            }
        }
        HttpResponse response = html(status, (String) null);
        response.pieces = pieces.clone();
        return response;
    }

    /** The text of {@code pieces}, joined. */
    static String join(Object[] pieces) {
        String[] texts = new String[pieces.length];
        for (int i = 0; i < pieces.length; i++) {
            texts[i] = pieces[i] instanceof HttpApiJson.Fragment fragment ? fragment.text() : (String) pieces[i];
        }
        return String.join("", texts);
    }

    public static HttpResponse json(int status, String json) {
        return new HttpResponse(status).header("content-type", "application/json").body(json);
    }

    public static HttpResponse redirect(int status, String location) {
        return new HttpResponse(status).header("location", location);
    }

    /**
     * The CSP of a page whose only inline content is the stylesheet with this SHA-256 (base64): no
     * {@code 'unsafe-inline'}, no script at all.
     */
    static String pageCsp(String styleSha256) {
        return "default-src 'none'; object-src 'none'; img-src https: data:; style-src 'sha256-" + styleSha256 + "'; "
                + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }

    /** Replaces the default CSP: only {@link Pages} does, with its stylesheet's hash. */
    HttpResponse csp(String policy) {
        this.csp = policy;
        return this;
    }

    public HttpResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public HttpResponse cookie(String setCookie) {
        cookies.add(setCookie);
        return this;
    }

    /**
     * Marks a response that answers a refused request without an error page (a redirect onwards), so the
     * request is still logged and counted as refused for this reason.
     */
    public HttpResponse refused(SignInException reason) {
        this.refused = reason;
        return this;
    }

    /** The refusal this response answers, or null for a plain success. */
    public SignInException refused() {
        return refused;
    }

    public HttpResponse body(String body) {
        this.body = body;
        this.pieces = null;
        return this;
    }

    public int status() {
        return status;
    }

    public String body() {
        if (body == null && pieces != null) {
            body = join(pieces);
        }
        return body;
    }

    String csp() {
        return csp;
    }

    public APIGatewayV2HTTPResponse build(PublicOrigin origin) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("cache-control", "no-store");
        all.put("pragma", "no-cache");
        all.put("referrer-policy", "no-referrer");
        all.put("content-security-policy", csp);
        all.put("x-content-type-options", "nosniff");
        all.put("x-frame-options", "DENY");
        if (origin != null && origin.isSecure()) {
            all.put("strict-transport-security", "max-age=31536000; includeSubDomains");
        }
        APIGatewayV2HTTPResponse response = pieces == null ? new APIGatewayV2HTTPResponse()
                : new HttpApiJson.PiecedResponse(pieces);
        response.setStatusCode(status);
        response.setHeaders(all);
        response.setCookies(cookies.isEmpty() ? null : List.copyOf(cookies));
        if (pieces == null) {
            response.setBody(body);
        }
        response.setIsBase64Encoded(false);
        return response;
    }
}
