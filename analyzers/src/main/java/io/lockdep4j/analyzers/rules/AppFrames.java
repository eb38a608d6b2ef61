package io.lockdep4j.analyzers.rules;

import io.lockdep4j.analyzers.model.Frames;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which frame of a stack is the user's code, for titles and code-scanning locations (issue 16.5):
 * a title names code the user can change, not a storage engine's internal {@code force}.
 *
 * <ol>
 *   <li>With {@code --include} prefixes: the first frame whose class name starts with one of them.</li>
 *   <li>Otherwise (or when no frame matches): the first frame outside the JDK and outside the library
 *       of the blocking call. That library is the package root of the stack's first non-JDK frame
 *       ({@link Frames#site}): its first two package segments ({@code org.h2}), or three when the
 *       first two are shared by many unrelated projects ({@code org.apache.derby}, see
 *       {@link #UMBRELLAS}). Frames the user does not own (JDK, reflection, JUnit, carriers; see
 *       {@link StackText#group}) are skipped too.</li>
 *   <li>When every frame is in that library (the user's own code made the call): the first non-JDK
 *       frame, as before.</li>
 * </ol>
 *
 * <p>Finding keys never use this: they keep the blocking call site, so a baseline stays valid
 * whatever {@code --include} says.
 */
public final class AppFrames {
    /** No prefixes: the library rule alone. */
    public static final AppFrames DEFAULT = new AppFrames(List.of());

    /** Two-segment roots that hold many independent projects: a library there is named by three. */
    static final Set<String> UMBRELLAS = Set.of("org.apache", "org.eclipse", "com.google", "com.github", "io.github");

    private static final Pattern PREFIX = Pattern.compile(
            "\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*\\.?");

    private final List<String> includes;

    private AppFrames(List<String> includes) {
        this.includes = List.copyOf(includes);
    }

    /**
     * Application code is the classes whose names start with one of {@code prefixes} ({@code com.acme.});
     * a prefix that is no package or class name prefix is an {@link IllegalArgumentException}.
     */
    public static AppFrames including(List<String> prefixes) {
        for (String p : prefixes) {
            if (!PREFIX.matcher(p).matches()) {
                throw new IllegalArgumentException("--include: '" + p + "' is not a package or class name prefix (e.g. com.acme.)");
            }
        }
        return new AppFrames(prefixes);
    }

    public List<String> includes() {
        return includes;
    }

    /** The frame of {@code stack} a title names (see the class comment); "?" for an empty stack. */
    public String frame(List<String> stack) {
        return included(stack).orElseGet(() -> outsideTheLibrary(stack));
    }

    /** The first frame of {@code stack} in an {@code --include} prefix, if any. */
    public Optional<String> included(List<String> stack) {
        for (String f : stack) {
            for (String p : includes) {
                if (f.startsWith(p)) {
                    return Optional.of(f);
                }
            }
        }
        return Optional.empty();
    }

    private static String outsideTheLibrary(List<String> stack) {
        String site = Frames.site(stack);
        int at = stack.indexOf(site);
        if (at < 0 || Frames.isPlatformFrame(site)) {
            return site;
        }
        String library = root(site);
        for (int i = at + 1; i < stack.size(); i++) {
            String f = stack.get(i);
            if (StackText.group(f) == null && !root(f).equals(library)) {
                return f;
            }
        }
        return site;
    }

    /** {@code org.h2} for {@code org.h2.mvstore.FileStore.sync(...)}; {@code org.apache.derby} for Derby's classes. */
    static String root(String frame) {
        String method = Frames.methodOf(frame);
        int hash = method.indexOf('#');
        String type = hash < 0 ? method : method.substring(0, hash);
        int lastDot = type.lastIndexOf('.');
        String[] segments = (lastDot < 0 ? type : type.substring(0, lastDot)).split("\\.");
        int n = segments.length >= 3 && UMBRELLAS.contains(segments[0] + "." + segments[1]) ? 3 : Math.min(2, segments.length);
        return String.join(".", List.of(segments).subList(0, n));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AppFrames a && a.includes.equals(includes);
    }

    @Override
    public int hashCode() {
        return includes.hashCode();
    }

    @Override
    public String toString() {
        return includes.isEmpty() ? "AppFrames(library rule)" : "AppFrames(include=" + String.join(",", includes) + ")";
    }
}
