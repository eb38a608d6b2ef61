package io.lockdep4j.agent.instrumentation;

import java.io.IOException;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.utility.JavaModule;

/**
 * Notes which class files a transformation reads besides the class itself, so that the
 * {@link io.lockdep4j.agent.TransformCache} can tell whether a cached transformation of an
 * application class still holds: its result depends on its supertypes and on whatever types Byte
 * Buddy resolved, found through the class's loader, which another JVM may find elsewhere or
 * changed. Every read goes through here: Byte Buddy's class file locator ({@link #LOCATION}),
 * {@link TypeHierarchy}'s raw reads and its per-loader memo, the lambda contexts' type pool.
 * {@code java/} classes are not noted: only the JDK defines them, and the cache's directory is per JDK.
 */
public final class ClassFileReads {
    private ClassFileReads() {}

    /** Byte Buddy's default location strategy (a class loader's resources), each located name noted. */
    public static final AgentBuilder.LocationStrategy LOCATION = new AgentBuilder.LocationStrategy() {
        @Override
        public ClassFileLocator classFileLocator(ClassLoader loader, JavaModule module) {
            return noting(AgentBuilder.LocationStrategy.ForClassLoader.STRONG.classFileLocator(loader, module));
        }
    };

    /** {@code locator}, noting each name it is asked for (dotted binary names). */
    static ClassFileLocator noting(ClassFileLocator locator) {
        return new ClassFileLocator() {
            @Override
            public Resolution locate(String name) throws IOException {
                noteDotted(name);
                return locator.locate(name);
            }

            @Override
            public void close() throws IOException {
                locator.close();
            }
        };
    }

    /** Notes a class file read for the transformation in progress (internal name, with slashes). */
    static void note(String internalName) {
        ClassFacts facts = ClassFacts.current();
        if (facts != null && facts.reads != null && internalName != null && !internalName.startsWith("java/")
                && !facts.isFor(internalName)) {
            facts.reads.add(internalName);
        }
    }

    /** The same for a binary name ({@code com.acme.Foo$Bar}). */
    static void noteDotted(String name) {
        ClassFacts facts = ClassFacts.current();
        if (facts != null && facts.reads != null && name != null && !name.startsWith("java.")) {
            note(name.replace('.', '/'));
        }
    }
}
