package io.lockdep4j.agent.bootstrap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Calls hooks directly, in this JVM, without the agent: the hooks are active and this thread's
 * per-thread record starts empty for each test. Events are observed through a real JFR recording.
 */
abstract class HookTestSupport {
    private boolean wasActive;

    @BeforeEach
    void activate() {
        wasActive = Hooks.active;
        Hooks.active = true;
        clearThread();
    }

    @AfterEach
    void deactivate() {
        clearThread();
        Hooks.active = wasActive;
    }

    static void clearThread() {
        HeldLocks h = HookGuard.current();
        while (h.depth > 0) {
            h.identities[--h.depth] = null;
        }
        h.stampedCount = 0;
        h.busy = false;
        h.files = null;
        h.opens = null;
        h.contexts = null;
        h.releases = null;
        h.waitDepth = 0;
    }

    /** Monitors this thread holds, outermost first (through the lock hot path, as injected code does). */
    static void hold(Object... monitors) {
        for (Object m : monitors) {
            Hooks.monitorEnter(m);
        }
    }

    /** The lockdep4j events of one kind (simple name, e.g. "FileClose") committed while body ran. */
    static List<RecordedEvent> recorded(String eventName, Runnable body) {
        try (Recording r = new Recording()) {
            r.enable("lockdep4j." + eventName);
            r.start();
            body.run();
            r.stop();
            Path file = Files.createTempFile("hooks", ".jfr");
            try {
                r.dump(file);
                List<RecordedEvent> out = new ArrayList<>();
                for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                    if (e.getEventType().getName().equals("lockdep4j." + eventName)) {
                        out.add(e);
                    }
                }
                return out;
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Lock classes as the held-lock text names them: a monitor of an application type is named by its class. */
    static String name(Class<?> type) {
        return LockClasses.name(LockClasses.ofMonitor(newInstance(type)));
    }

    private static Object newInstance(Class<?> type) {
        try {
            java.lang.reflect.Constructor<?> c = type.getDeclaredConstructor();
            c.setAccessible(true);
            return c.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class Outer {}

    static final class Inner {}
}
