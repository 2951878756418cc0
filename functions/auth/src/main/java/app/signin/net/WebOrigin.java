package app.signin.net;

import java.util.Locale;
import java.util.Optional;

/**
 * A tuple origin (scheme, host, port) as the WHATWG URL Standard defines it, read from the start of an
 * absolute http(s) URL the way a browser reads it - or not at all.
 *
 * <p>The parser accepts only the part of the standard where our reading and a browser's cannot differ,
 * and refuses everything else (the caller then falls back to a safe default):
 * <ul>
 * <li>scheme and host are ASCII case-insensitive (lower-cased here, as the standard does);</li>
 * <li>the default port (443, 80) and an empty port are no port; leading zeros are the same number;</li>
 * <li>refused: any control character, space, tab or newline (a browser deletes tabs and newlines, so
 * {@code ht\ttps://} is {@code https://} to it); any backslash (a browser reads it as {@code /} in these
 * schemes); userinfo ({@code a@b}); a percent sign in the host (a browser decodes it); anything not
 * ASCII (a browser maps Unicode hosts with UTS #46, which {@link java.net.IDN} - IDNA 2003 - does not
 * match for every name, e.g. {@code ß}: so an IDN must be given, and is compared, in its {@code xn--}
 * form); anything but exactly two slashes after the scheme (a browser skips any number);
 * IPv6 literals; a host whose last label is a number but is not a canonical dotted IPv4 address (a
 * browser would parse {@code 0x7f.1} as {@code 127.0.0.1}).</li>
 * </ul>
 * We do the parsing ourselves: the JDK's {@code URI} follows RFC 3986, which differs from browsers on
 * exactly these points, and no maintained WHATWG URL parser is on Maven Central for Java.
 */
public record WebOrigin(String scheme, String host, int port) {

    /** The result of reading an absolute URL: its origin and the rest (path, query, fragment) as sent. */
    public record Split(WebOrigin origin, String rest) {
    }

    /** {@code scheme://host[:port]}, as a browser sends it in the {@code Origin} header. */
    public String serialize() {
        return scheme + "://" + host + (port < 0 ? "" : ":" + port);
    }

    @Override
    public String toString() {
        return serialize();
    }

    /** Whether the host is this machine (http is acceptable only there). */
    public boolean isLoopback() {
        return host.equals("localhost") || host.matches("127(\\.\\d{1,3}){3}");
    }

    /** The origin of {@code url} if it is an absolute http(s) URL we read exactly as a browser does. */
    public static Optional<Split> parseAbsolute(String url) {
        if (url == null || url.length() > 4096) {
            return Optional.empty();
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '\\') {
                return Optional.empty();
            }
        }
        int colon = url.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String scheme = url.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.empty();
        }
        // Exactly two slashes, then a host: "https:host", "https:/host" and "https:///host" are all
        // https://host/ to a browser, and are refused here rather than guessed at.
        if (!url.startsWith("//", colon + 1) || url.startsWith("/", colon + 3)) {
            return Optional.empty();
        }
        int authorityStart = colon + 3;
        int end = authorityStart;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        String rest = url.substring(end);
        return authority(scheme, url.substring(authorityStart, end)).map(origin -> new Split(origin, rest));
    }

    /** An origin alone ({@code https://app.example.com}, no path), as configuration gives it. */
    public static Optional<WebOrigin> parseOrigin(String value) {
        return parseAbsolute(value).filter(s -> s.rest().isEmpty() || s.rest().equals("/")).map(Split::origin);
    }

    private static Optional<WebOrigin> authority(String scheme, String authority) {
        if (authority.isEmpty() || authority.indexOf('@') >= 0 || authority.indexOf('%') >= 0
                || authority.indexOf('[') >= 0) {
            return Optional.empty();
        }
        int portColon = authority.lastIndexOf(':');
        String host = (portColon < 0 ? authority : authority.substring(0, portColon)).toLowerCase(Locale.ROOT);
        int port = -1;
        if (portColon >= 0) {
            String digits = authority.substring(portColon + 1);
            if (!digits.isEmpty()) {
                if (digits.length() > 5 || !digits.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                    return Optional.empty();
                }
                port = Integer.parseInt(digits);
                if (port > 65535) {
                    return Optional.empty();
                }
            }
        }
        if (port == (scheme.equals("https") ? 443 : 80)) {
            port = -1;
        }
        if (!isHost(host)) {
            return Optional.empty();
        }
        return Optional.of(new WebOrigin(scheme, host, port));
    }

    /** Dot-separated labels of letters, digits and hyphens; numeric last label only as canonical IPv4. */
    private static boolean isHost(String host) {
        if (host.isEmpty() || host.length() > 253) {
            return false;
        }
        String[] labels = host.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63 || !label.matches("[a-z0-9-]+")) {
                return false;
            }
        }
        String last = labels[labels.length - 1];
        boolean numericEnd = last.matches("[0-9]+") || last.startsWith("0x");
        return !numericEnd || isCanonicalIpv4(labels);
    }

    private static boolean isCanonicalIpv4(String[] labels) {
        if (labels.length != 4) {
            return false;
        }
        for (String label : labels) {
            if (!label.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(label) > 255) {
                return false;
            }
        }
        return true;
    }
}
