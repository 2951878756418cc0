package app.signin.oidc;

import java.net.URI;

/** The endpoints this application uses from the provider's discovery document. */
public record ProviderMetadata(URI issuer, URI authorizationEndpoint, URI tokenEndpoint, URI jwksUri,
        URI revocationEndpoint) {
}
