package app.signin.oidc;

import java.net.URI;

/**
 * What this application uses from the provider's discovery document. {@code issInAuthorizationResponse}
 * is the RFC 9207 flag {@code authorization_response_iss_parameter_supported}: when the provider promises
 * to name itself in every authorization response, a response without {@code iss} is refused.
 * {@code userinfoEndpoint} (null when not advertised) is what {@code GET /api/google/userinfo} calls with
 * the user's access token.
 */
public record ProviderMetadata(URI issuer, URI authorizationEndpoint, URI tokenEndpoint, URI jwksUri,
        URI revocationEndpoint, boolean issInAuthorizationResponse, URI userinfoEndpoint) {
}
