package io.lockdep4j.tests.workloads;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Vector;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.MemoryHandler;

/**
 * Programs for the locks the JVM takes (class initialization, the class-loading lock) and for two
 * instances of one lock class nested: {@code java -cp test-classes io.lockdep4j.tests.workloads.JvmLockScenarios NAME}.
 * As in {@link Scenarios}, the two orders run one after the other (a thread is joined before the next
 * starts), so nothing deadlocks.
 */
public final class JvmLockScenarios {
    static final String CLINIT = "io.lockdep4j.tests.workloads.clinit.";

    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "";
        switch (name) {
            // class initialization: each JVM initializes Config once, so each run shows one order
            case "clinit-lock-then-touch": inThread(() -> paths(ClassLoader.getSystemClassLoader(), "lockThenTouch")); break;
            case "clinit-touch-first": inThread(() -> paths(ClassLoader.getSystemClassLoader(), "touchFirst")); break;
            case "clinit-touch-a": inThread(() -> paths(ClassLoader.getSystemClassLoader(), "touchA")); break;
            case "clinit-touch-b": inThread(() -> paths(ClassLoader.getSystemClassLoader(), "touchB")); break;
            // one JVM, the same classes in two loaders: each loader initializes its own Config
            case "clinit-two-loaders": twoLoaders("lockThenTouch", "touchFirst"); break;
            case "clinit-two-loaders-same-order": twoLoaders("touchFirst", "touchFirst"); break;
            case "loader-lock": loaderLock(new PluginLoader()); break;
            case "loader-lock-parallel": loaderLock(new ParallelPluginLoader()); break;
            case "hashtable-equals": hashtableEquals(false); break;
            case "hashtable-equals-snapshot": hashtableEquals(true); break;
            case "vector-addall": vectorAddAll(false); break;
            case "vector-addall-snapshot": vectorAddAll(true); break;
            case "lifecycle-tree": lifecycleTree(); break;
            case "handler-callback": handlerCallback(true); break;
            case "handler-no-callback": handlerCallback(false); break;
            default:
                System.err.println("unknown scenario '" + name + "'");
                System.exit(3);
        }
        System.out.println("scenario " + name + " done");
    }

    interface Body {
        void run() throws Exception;
    }

    static void inThread(Body body) throws InterruptedException {
        Throwable[] failed = {null};
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failed[0] = e;
            }
        }, "worker");
        t.start();
        t.join();
        if (failed[0] != null) {
            throw new IllegalStateException(failed[0]);
        }
    }

    static void inSequence(Body first, Body second) throws InterruptedException {
        inThread(first);
        inThread(second);
    }

    static Object paths(ClassLoader loader, String method) throws Exception {
        return Class.forName(CLINIT + "Paths", true, loader).getMethod(method).invoke(null);
    }

    // ---- class initialization in two loaders

    static void twoLoaders(String first, String second) throws Exception {
        ClassLoader one = new IsolatingLoader(CLINIT);
        ClassLoader two = new IsolatingLoader(CLINIT);
        inSequence(() -> paths(one, first), () -> paths(two, second));
    }

    static byte[] classBytes(String name) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(name.replace('.', '/') + ".class")) {
            if (in == null) {
                throw new IOException("no class file for " + name);
            }
            return in.readAllBytes();
        }
    }

    /** Defines the classes under one package itself (the rest comes from the bootstrap loader); parallel capable. */
    static final class IsolatingLoader extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final String prefix;

        IsolatingLoader(String prefix) {
            super(null);
            this.prefix = prefix;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (!name.startsWith(prefix)) {
                throw new ClassNotFoundException(name);
            }
            try {
                byte[] b = classBytes(name);
                return defineClass(name, b, 0, b.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }

    // ---- the class-loading lock

    /** An application lock the plugin loader's findClass takes (a plugin registry, a script cache). */
    public static final class PluginRegistry {
        static final Object LOCK = new Object();
    }

    /**
     * Not parallel capable: the JVM locks the loader around loadClass, and its findClass takes the
     * registry lock under it.
     */
    static class PluginLoader extends ClassLoader {
        PluginLoader() {
            super(null);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            synchronized (PluginRegistry.LOCK) {
                try {
                    byte[] b = classBytes(name);
                    return defineClass(name, b, 0, b.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
        }
    }

    /**
     * The safe twin: parallel capable, so the loader itself is never locked (it locks per class name).
     * It extends ClassLoader itself: registration succeeds only when every superclass registered too.
     */
    static final class ParallelPluginLoader extends ClassLoader {
        static {
            if (!registerAsParallelCapable()) {
                throw new IllegalStateException("not parallel capable");
            }
        }

        ParallelPluginLoader() {
            super(null);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            synchronized (PluginRegistry.LOCK) {
                try {
                    byte[] b = classBytes(name);
                    return defineClass(name, b, 0, b.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
        }
    }

    /**
     * One thread loads a plugin class through the JVM (Class.forName: the loader's lock, then the
     * registry's in findClass); another holds the registry lock and loads a class with the same loader.
     */
    static void loaderLock(ClassLoader loader) throws Exception {
        inSequence(() -> Class.forName("io.lockdep4j.tests.workloads.plugin.Greeter", true, loader),
                () -> {
                    synchronized (PluginRegistry.LOCK) {
                        loader.loadClass("io.lockdep4j.tests.workloads.plugin.Other");
                    }
                });
    }

    // ---- two instances of one lock class nested

    /** Sessions each keep their attributes in a Hashtable: every attrs table is one lock class. */
    public static final class Session {
        final Hashtable<String, String> attrs = new Hashtable<>();
    }

    /** Two threads compare two sessions' attributes, in opposite orders: a.equals(b) locks a, then b. */
    static void hashtableEquals(boolean snapshot) throws InterruptedException {
        Session a = new Session();
        Session b = new Session();
        a.attrs.put("user", "alice");
        b.attrs.put("user", "alice");
        if (snapshot) { // the fix: compare with a copy taken before, holding one table at a time
            inSequence(() -> a.attrs.equals(new HashMap<>(b.attrs)), () -> b.attrs.equals(new HashMap<>(a.attrs)));
        } else {
            inSequence(() -> a.attrs.equals(b.attrs), () -> b.attrs.equals(a.attrs));
        }
    }

    public static final class Inbox {
        final Vector<String> messages = new Vector<>();
    }

    /**
     * v1.addAll(0, v2) locks v1, then v2 (its toArray, under v1's monitor); the other thread merges the
     * other way. (Since JDK 9 or so the one-argument addAll calls toArray before it locks: no nesting.)
     */
    static void vectorAddAll(boolean snapshot) throws InterruptedException {
        Inbox a = new Inbox();
        Inbox b = new Inbox();
        a.messages.add("m1");
        b.messages.add("m2");
        if (snapshot) {
            inSequence(() -> a.messages.addAll(0, new ArrayList<>(b.messages)), () -> b.messages.addAll(0, new ArrayList<>(a.messages)));
        } else {
            inSequence(() -> a.messages.addAll(0, b.messages), () -> b.messages.addAll(0, a.messages));
        }
    }

    /**
     * Shaped like Jetty's lifecycle tree (AbstractLifeCycle): every component locks its own
     * {@code _lock} and starts or stops its children under it, so one lock class nests in itself,
     * always parent before child. A context handler's doStart/doStop are also synchronized (its own
     * monitor), so parent _lock -> handler -> child _lock also reads as a cycle through _lock.
     */
    public static class Component {
        private final Object _lock = new Object();
        private final List<Component> children = new ArrayList<>();
        boolean running;

        Component add(Component child) {
            children.add(child);
            return this;
        }

        final void start() {
            synchronized (_lock) {
                doStart();
            }
        }

        final void stop() {
            synchronized (_lock) {
                doStop();
            }
        }

        protected void doStart() {
            running = true;
            for (Component c : children) {
                c.start();
            }
        }

        protected void doStop() {
            for (Component c : children) {
                c.stop();
            }
            running = false;
        }
    }

    public static final class ContextHandler extends Component {
        @Override
        protected synchronized void doStart() {
            super.doStart();
        }

        @Override
        protected synchronized void doStop() {
            super.doStop();
        }
    }

    static void lifecycleTree() throws InterruptedException {
        Component server = new Component().add(new ContextHandler().add(new Component())).add(new Component());
        inSequence(server::start, server::stop);
    }

    /**
     * Two MemoryHandlers (a JDK class the old hand-picked jdkMonitors list did not name) whose
     * targets are the application's handlers, and each target forwards to the other MemoryHandler.
     * MemoryHandler.publish is synchronized and pushes to its target under its monitor: the first
     * thread locks one, then the other; the second thread the other way round.
     */
    static void handlerCallback(boolean forward) throws InterruptedException {
        Forwarder toSecond = new Forwarder();
        Forwarder toFirst = new Forwarder();
        MemoryHandler first = new MemoryHandler(toSecond, 10, Level.INFO);
        MemoryHandler second = new MemoryHandler(toFirst, 10, Level.INFO);
        if (forward) {
            toSecond.next = second;
            toFirst.next = first;
        }
        inSequence(() -> first.publish(new LogRecord(Level.SEVERE, "disk full")),
                () -> second.publish(new LogRecord(Level.SEVERE, "disk full")));
        if (!forward) { // the twin publishes to both, one at a time
            inSequence(() -> second.publish(new LogRecord(Level.SEVERE, "again")),
                    () -> first.publish(new LogRecord(Level.SEVERE, "again")));
        }
    }

    /** An application handler that forwards each record once to another handler. */
    static final class Forwarder extends Handler {
        volatile Handler next;
        private final ThreadLocal<Boolean> inside = ThreadLocal.withInitial(() -> false);

        @Override
        public void publish(LogRecord record) {
            Handler n = next;
            if (n != null && !inside.get()) {
                inside.set(true);
                try {
                    n.publish(record);
                } finally {
                    inside.set(false);
                }
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
