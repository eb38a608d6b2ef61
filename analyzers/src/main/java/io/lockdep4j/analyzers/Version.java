package io.lockdep4j.analyzers;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The analyzers' version, from a resource Maven fills in at build time. */
public final class Version {
    private Version() {}

    private static final String VERSION = load();

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "");
                if (!v.isEmpty() && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException ignored) {
            // fall through: a missing version must not stop an analysis
        }
        return "unknown";
    }
}
