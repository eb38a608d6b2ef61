package io.lockdep4j.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockdep4j.agent.AgentOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

/**
 * Every instrumentation's ClassFilter is conservative: wherever it says no, Byte Buddy's matcher
 * (types()) says no too, for every class of the JDK's main modules and of the class path, under
 * the default options and under options that switch on every pattern-driven instrumentation. And
 * the filters are worth having: most classes pass none of them.
 */
class ClassFilterTest {
    static final List<String> OPTION_SETS = List.of(
            "",
            "releaseMethods=java.io.Closeable#close;java.lang.AutoCloseable#close,notifierMethods=java.util.function.Consumer#accept,"
                    + "shutdownMethods=java.util.concurrent.ExecutorService#shutdown,useMethods=java.util.Iterator#*,"
                    + "handoffMethods=java.util.function.Supplier#get,contexts=rpc@java.lang.Runnable#run,"
                    + "refcountClasses=java.util.concurrent.atomic.AtomicInteger#incrementAndGet:decrementAndGet",
            "releasePaths=false,jdkMonitors=java.util.Hashtable;java.util.Vector",
            "defaultNotifiers=false,include=net.bytebuddy.,trackOpens=false");

    record ClassFile(String name, byte[] bytes, ClassLoader loader) {}

    static List<ClassFile> corpus() throws IOException {
        List<ClassFile> out = new ArrayList<>();
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        for (String module : List.of("java.base", "java.logging", "jdk.jfr")) {
            try (Stream<Path> files = Files.walk(jrt.getPath("/modules", module))) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    String s = p.toString();
                    if (s.endsWith(".class") && !s.endsWith("module-info.class")) {
                        String name = s.substring(("/modules/" + module + "/").length(), s.length() - ".class".length());
                        out.add(new ClassFile(name, Files.readAllBytes(p), null));
                    }
                }
            }
        }
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.endsWith(".jar")) {
                continue;
            }
            try (JarFile jar = new JarFile(entry)) {
                for (JarEntry e : new ArrayList<>(jar.stream().toList())) {
                    String n = e.getName();
                    if (n.endsWith(".class") && !n.endsWith("module-info.class") && !n.startsWith("META-INF/")) {
                        try (InputStream in = jar.getInputStream(e)) {
                            out.add(new ClassFile(n.substring(0, n.length() - ".class".length()), in.readAllBytes(),
                                    ClassLoader.getSystemClassLoader()));
                        }
                    }
                }
            }
        }
        return out;
    }

    @Test
    void aFilterSaysNoOnlyWhereTheMatcherSaysNo() throws IOException {
        List<ClassFile> corpus = corpus();
        assertTrue(corpus.size() > 10_000, "classes: " + corpus.size());
        long application = corpus.stream().filter(c -> c.loader() != null).count();
        assertTrue(application > 3_000, "class-path classes (byte-buddy, junit...): " + application);
        TypePool pool = TypePool.Default.of(ClassFileLocator.ForClassLoader.ofSystemLoader());
        for (String args : OPTION_SETS) {
            AgentOptions options = AgentOptions.parse(args);
            List<LockdepInstrumentation> all = new ArrayList<>();
            ServiceLoader.load(LockdepInstrumentation.class).forEach(all::add);
            assertTrue(all.size() >= 30, "instrumentations: " + all.size());
            List<ElementMatcher<TypeDescription>> matchers = new ArrayList<>();
            List<ClassFilter> filters = new ArrayList<>();
            for (LockdepInstrumentation i : all) {
                matchers.add(i.types(options));
                filters.add(i.filter(options));
            }
            int passedNone = 0;
            int matched = 0;
            for (ClassFile c : corpus) {
                ClassFacts facts = new ClassFacts(c.name(), c.bytes(), c.loader());
                ClassFacts previous = ClassFacts.enter(facts);
                try {
                    boolean any = false;
                    for (int k = 0; k < all.size(); k++) {
                        if (filters.get(k).mayMatch(facts)) {
                            any = true;
                            continue;
                        }
                        TypeDescription t = pool.describe(c.name().replace('/', '.')).resolve();
                        if (matchers.get(k).matches(t)) {
                            throw new AssertionError(all.get(k).getClass().getSimpleName() + "'s filter rejects " + c.name()
                                    + ", which its matcher accepts (options: " + args + ")");
                        }
                    }
                    if (!any) {
                        passedNone++;
                    } else {
                        matched++;
                    }
                } finally {
                    ClassFacts.exit(previous);
                }
            }
            System.out.println("options '" + args + "': " + passedNone + " of " + corpus.size() + " classes pass no filter");
            // the point of the filters: Byte Buddy sees a small part of what loads
            assertTrue(passedNone > corpus.size() * 3 / 4, "classes no filter wants: " + passedNone + " of " + corpus.size()
                    + " (options: " + args + ")");
            assertTrue(matched > 100, "classes some filter wants: " + matched);
        }
    }

    @Test
    void namedFiltersTakeExactlyTheirClasses() {
        ClassFilter f = ClassFilter.named("java.util.concurrent.locks.ReentrantLock");
        assertTrue(f.mayMatch(new ClassFacts("java/util/concurrent/locks/ReentrantLock", null, null)));
        assertFalse(f.mayMatch(new ClassFacts("java/util/concurrent/locks/ReentrantLockX", null, null)));
        assertFalse(f.mayMatch(new ClassFacts(null, null, null)));
    }

    @Test
    void supertypesAreReadRawAndTheirNamesThroughTheLoader() {
        ClassFacts facts = new ClassFacts("io/lockdep4j/agent/instrumentation/ClassFilterTest$Listening",
                ClassFactsTest.bytesOf(Listening.class), ClassFilterTest.class.getClassLoader());
        assertEquals(List.of("java/lang/Object", "java/util/EventListener", "java/lang/Runnable"), Arrays.asList(facts.supertypes()));
        assertFalse(facts.isInterface());
        List<String> names = Arrays.asList(TypeHierarchy.namesOf(facts));
        assertTrue(names.containsAll(List.of(Listening.class.getName(), "java.lang.Object", "java.util.EventListener",
                "java.lang.Runnable")), names.toString());
        ClassFacts sub = new ClassFacts("io/lockdep4j/agent/instrumentation/ClassFilterTest$SubListening",
                ClassFactsTest.bytesOf(SubListening.class), ClassFilterTest.class.getClassLoader());
        assertTrue(Arrays.asList(TypeHierarchy.namesOf(sub)).contains("java.util.EventListener"), "inherited through the superclass");
        ClassFacts iface = new ClassFacts("java/util/EventListener", null, null);
        assertNull(iface.supertypes(), "no class file: unknown, never an empty hierarchy");
        assertNull(TypeHierarchy.namesOf(iface));
    }

    @Test
    void aSupertypeThatCannotBeReadMakesTheHierarchyUnknown() {
        ClassLoader noResources = new ClassLoader(null) {
            @Override
            public InputStream getResourceAsStream(String name) {
                return null;
            }
        };
        ClassFacts facts = new ClassFacts("io/lockdep4j/agent/instrumentation/ClassFilterTest$SubListening",
                ClassFactsTest.bytesOf(SubListening.class), noResources);
        assertNull(TypeHierarchy.namesOf(facts));
        assertTrue(ClassFilter.anyPatternNames(facts, List.of(MethodPattern.parse("java.util.EventListener#*", "notifier"))),
                "unknown supertypes: the filter lets Byte Buddy decide");
    }

    static class Listening implements java.util.EventListener, Runnable {
        @Override
        public void run() {}
    }

    static class SubListening extends Listening {}
}
