package app.signin.oidc;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import com.nimbusds.jose.util.JSONObjectUtils;

import app.signin.concurrent.Lazy;
import app.signin.error.Failure;
import app.signin.error.SignInException;
import app.signin.net.Loopback;

/**
 * Fetches {@code <issuer>/.well-known/openid-configuration} once per container and keeps it. A failed
 * fetch is not cached: the next request tries again, so a container that started while the provider was
 * unreachable heals by itself. The fetch is bounded like every provider call ({@link ProviderHttp}).
 */
public final class ProviderDiscovery {
    private static final int SIZE_LIMIT = 64 * 1024;

    private final URI issuer;
    private final ProviderHttp http;
    private final Duration callTimeout;
    private final Lazy<ProviderMetadata> metadata = Lazy.of(this::fetch);

    public ProviderDiscovery(URI issuer, ProviderSettings settings) {
        this.issuer = issuer;
        this.http = new ProviderHttp(settings.connectTimeout());
        this.callTimeout = settings.callTimeout();
    }

    /** The configured issuer, which the metadata must name. */
    public URI issuer() {
        return issuer;
    }

    /** The provider's metadata, fetched on first use. */
    public ProviderMetadata metadata() {
        return metadata.get();
    }

    private ProviderMetadata fetch() {
        // Config refuses an issuer ending in '/', so the path is simply appended.
        URI discovery = URI.create(issuer + "/.well-known/openid-configuration");
        Map<String, Object> json;
        try {
            ProviderHttp.Response response = http.get(discovery, SIZE_LIMIT, callTimeout);
            if (response.status() != 200) {
                throw new SignInException(Failure.PROVIDER_UNAVAILABLE,
                        "discovery document answered " + response.status());
            }
            json = JSONObjectUtils.parse(response.text());
        } catch (IOException | java.text.ParseException e) {
            throw new SignInException(Failure.PROVIDER_UNAVAILABLE,
                    "discovery document unavailable: " + e.getClass().getSimpleName(), e);
        }
        // OpenID Connect Discovery 1.0, section 4.3: the document's issuer must be exactly ours.
        Object declared = json.get("issuer");
        if (!issuer.toString().equals(declared)) {
            throw new SignInException(Failure.PROVIDER_UNAVAILABLE, "discovery issuer does not match " + issuer);
        }
        return new ProviderMetadata(issuer,
                endpoint(json, "authorization_endpoint", true),
                endpoint(json, "token_endpoint", true),
                endpoint(json, "jwks_uri", true),
                endpoint(json, "revocation_endpoint", false),
                Boolean.TRUE.equals(json.get("authorization_response_iss_parameter_supported")),
                endpoint(json, "userinfo_endpoint", false));
    }

    private static URI endpoint(Map<String, Object> json, String name, boolean required) {
        Object value = json.get(name);
        if (!(value instanceof String s)) {
            if (required) {
                throw new SignInException(Failure.PROVIDER_UNAVAILABLE, "discovery document lacks " + name);
            }
            return null;
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (java.net.URISyntaxException e) {
            throw new SignInException(Failure.PROVIDER_UNAVAILABLE, "discovery " + name + " is not a URL", e);
        }
        boolean loopback = Loopback.isLoopback(uri);
        if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && loopback)) {
            throw new SignInException(Failure.PROVIDER_UNAVAILABLE, "discovery " + name + " is not https");
        }
        return uri;
    }
}
