package app.signin.web;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import app.signin.json.Json;
import app.signin.session.UserSessions;

/**
 * The signed-in user's sessions as {@code GET /api/sessions} answers them (the page is
 * {@link Pages#sessions}). Every string goes through {@link Json}'s one escaper. A session appears by its
 * handle (the {@code id} of the JSON), never by its id or id hash.
 */
public final class SessionsPage {
    private SessionsPage() {
    }

    /** {@code {"sessions":[{"id":..,"current":..,"createdAt":..,"lastSeenAt":..,"device":..}]}}, times ISO-8601 UTC. */
    public static String json(List<UserSessions.Listed> sessions) {
        StringBuilder array = new StringBuilder("[");
        for (UserSessions.Listed s : sessions) {
            if (array.length() > 1) {
                array.append(',');
            }
            array.append(Json.object().put("id", s.handle()).put("current", s.current())
                    .put("createdAt", iso(s.createdAt())).put("lastSeenAt", iso(s.lastSeenAt()))
                    .put("device", s.device()));
        }
        return Json.object().putRaw("sessions", array.append(']').toString()).toString();
    }

    /** Whole seconds, UTC: what the store keeps. */
    static String iso(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
