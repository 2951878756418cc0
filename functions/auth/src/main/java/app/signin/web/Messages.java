package app.signin.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The page text bundle ({@code messages.properties} beside this class): read once per container. A plain
 * {@link Properties} rather than {@link java.util.ResourceBundle}: the pages have one language per
 * deployment (translating means replacing the file, see its header), so the locale fallback machinery
 * would only add classes to the cold path. Placeholders are {@code {0}}, {@code {1}} replaced literally,
 * not {@link java.text.MessageFormat}, whose apostrophe quoting trips up translators.
 */
public final class Messages {
    static final String RESOURCE = "messages.properties";
    private static final Messages BUNDLED = load();

    private final Properties text;

    private Messages(Properties text) {
        this.text = text;
    }

    /** The bundle shipped in the jar. */
    public static Messages bundled() {
        return BUNDLED;
    }

    /** The text for {@code key}; a missing key fails loudly (MessagesTest keeps the bundle complete). */
    public String get(String key, String... args) {
        String value = text.getProperty(key);
        if (value == null) {
            throw new IllegalStateException(RESOURCE + " has no " + key);
        }
        for (int i = 0; i < args.length; i++) {
            value = value.replace("{" + i + "}", args[i]);
        }
        return value;
    }

    /** Whether the bundle defines {@code key}. */
    public boolean has(String key) {
        return text.getProperty(key) != null;
    }

    private static Messages load() {
        try (InputStream in = Messages.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return new Messages(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
