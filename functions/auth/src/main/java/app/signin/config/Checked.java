package app.signin.config;

import java.util.ArrayList;
import java.util.List;

/**
 * What one validator returns: the value it read (or a stand-in when it could not) and the messages saying
 * what is wrong, each naming its variable. Empty messages mean the value is good.
 */
record Checked<T>(T value, List<String> problems) {
    Checked {
        problems = List.copyOf(problems);
    }

    static <T> Checked<T> ok(T value) {
        return new Checked<>(value, List.of());
    }

    static <T> Checked<T> of(T value, List<String> problems) {
        return new Checked<>(value, problems);
    }

    static <T> Checked<T> failed(String problem) {
        return new Checked<>(null, List.of(problem));
    }

    /** For a validator that checks several things: collects their messages, then wraps its value. */
    static Collector collect() {
        return new Collector();
    }

    static final class Collector {
        private final List<String> problems = new ArrayList<>();

        private Collector() {
        }

        void problem(String message) {
            problems.add(message);
        }

        /** Keeps another check's messages and returns its value, so a validator can build on smaller ones. */
        <U> U take(Checked<U> part) {
            problems.addAll(part.problems());
            return part.value();
        }

        boolean hasProblems() {
            return !problems.isEmpty();
        }

        <T> Checked<T> result(T value) {
            return new Checked<>(value, problems);
        }
    }
}
