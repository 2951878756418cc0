package app.signin.session;

/**
 * A short description of the browser a login came from - "Chrome on macOS" - for the user's list of
 * sessions: browser family and OS family, nothing finer (no versions, no device model), which is all a
 * person needs to recognise "my phone" and is less of a fingerprint to store.
 *
 * <p>Why not a parser library: uap-java 1.6.1 (ua-parser, the maintained Java port) was measured in a
 * fresh JVM with the runtime's flags (C1 only, serial GC, CDS) - building its {@code Parser} took 120 ms and
 * the first parse 5 ms, about 190 ms of CPU, against a hello-world JVM's 20 ms; it would land on the
 * callback's cold path (818 ms median in BENCHMARKS.md, so +15%) and add 1.3 MB of jars (SnakeYAML,
 * commons-collections4, its 2023 regex file). Yauaa is heavier still (seconds of rule loading). A handful
 * of ordered substring checks answers the same two questions for every browser with real share, in
 * microseconds and no classes beyond this one.
 */
public final class DeviceDescription {
    /** Real User-Agents are a few hundred characters; the rest of a longer one is not looked at. */
    static final int MAX_INSPECTED = 512;
    static final String UNKNOWN = "Unknown device";

    private DeviceDescription() {
    }

    /** "Browser on OS", one of the two when only one is known, {@value #UNKNOWN} for none or no header. */
    public static String of(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return UNKNOWN;
        }
        String ua = userAgent.length() > MAX_INSPECTED ? userAgent.substring(0, MAX_INSPECTED) : userAgent;
        String browser = browser(ua);
        String os = os(ua);
        if (browser == null && os == null) {
            return UNKNOWN;
        }
        if (browser == null) {
            return "Browser on " + os;
        }
        return os == null ? browser : browser + " on " + os;
    }

    /**
     * Order matters: Edge, Opera and Samsung Internet also say "Chrome" and "Safari", Chrome says
     * "Safari", and the iOS browsers (all WebKit) name themselves with their own tokens.
     */
    private static String browser(String ua) {
        if (ua.contains("Edg/") || ua.contains("EdgA/") || ua.contains("EdgiOS/")) {
            return "Edge";
        }
        if (ua.contains("OPR/") || ua.contains("Opera")) {
            return "Opera";
        }
        if (ua.contains("SamsungBrowser/")) {
            return "Samsung Internet";
        }
        if (ua.contains("Firefox/") || ua.contains("FxiOS/")) {
            return "Firefox";
        }
        if (ua.contains("Chrome/") || ua.contains("CriOS/") || ua.contains("Chromium/")) {
            return "Chrome";
        }
        if (ua.contains("Safari/") && ua.contains("Version/")) {
            return "Safari";
        }
        return null;
    }

    /** Android before Linux (Android says both), iOS before macOS (iPads say "like Mac OS X"). */
    private static String os(String ua) {
        if (ua.contains("Windows")) {
            return "Windows";
        }
        if (ua.contains("Android")) {
            return "Android";
        }
        if (ua.contains("iPhone") || ua.contains("iPad") || ua.contains("iPod")) {
            return "iOS";
        }
        if (ua.contains("Macintosh") || ua.contains("Mac OS X")) {
            return "macOS";
        }
        if (ua.contains("CrOS")) {
            return "ChromeOS";
        }
        if (ua.contains("Linux") || ua.contains("X11")) {
            return "Linux";
        }
        return null;
    }
}
