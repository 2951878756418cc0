package app.signin.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import app.signin.log.Log;

/** The application's JSON log written to memory, so tests can read what would have reached CloudWatch. */
public final class CapturedLog {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Log log = new Log(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    public Log log() {
        return log;
    }

    public synchronized String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A log that discards everything: for floods whose thousands of lines nobody reads. */
    public static Log discarding() {
        return new Log(new PrintStream(OutputStream.nullOutputStream()));
    }
}
