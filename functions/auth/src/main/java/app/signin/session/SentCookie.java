package app.signin.session;

import java.util.List;

/**
 * A cookie as the browser sent it: its name (our MACs cover it) and every value sent under that name - a
 * browser may send duplicates, and whoever verifies decides what several values mean.
 */
public record SentCookie(String name, List<String> values) {
    public SentCookie {
        values = List.copyOf(values);
    }

    public boolean sent() {
        return !values.isEmpty();
    }

    @Override
    public String toString() {
        return "SentCookie[" + name + " x" + values.size() + "]"; // never the values: they are credentials
    }
}
