package app.signin.oidc;

/** Who signed in, as the verified ID token says. {@code sub} is the identity; e-mail is for display and policy. */
public record Identity(String sub, String email, String name, String picture, String hostedDomain) {
}
