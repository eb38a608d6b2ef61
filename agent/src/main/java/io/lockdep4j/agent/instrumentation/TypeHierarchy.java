package io.lockdep4j.agent.instrumentation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;

/**
 * The names of a type and all its supertypes, remembered per class loader, so that matching a
 * class against the method patterns (release methods, contexts, listeners, executors) does not
 * resolve and parse every supertype's class file again for every class that loads. Bounded: at
 * most {@link #MAX_LOADERS} loaders of {@link #MAX_TYPES} types each (a full table is cleared);
 * loaders are held weakly. Without a transformation in progress (no {@link ClassFacts}), nothing
 * is cached.
 */
final class TypeHierarchy {
    private TypeHierarchy() {}

    static final int MAX_LOADERS = 64;
    static final int MAX_TYPES = 4096;
    static final int MAX_DEPTH = 24;
    private static final Object BOOTSTRAP = new Object();
    private static final Object LOCK = new Object();
    private static final Map<Object, Map<String, String[]>> BY_LOADER = new WeakHashMap<>();

    /** The type's own name first, then every supertype's; never throws. */
    static String[] namesOf(TypeDescription t) {
        ClassFacts facts = ClassFacts.current();
        if (facts != null && facts.isFor(t.getInternalName())) {
            String[] raw = namesOf(facts); // the class being loaded: no need to have Byte Buddy parse it
            if (raw != null) {
                return raw;
            }
        }
        Map<String, String[]> cache = facts == null ? null : cacheOf(facts.loader);
        String[] out = closure(t, cache, 0, new boolean[1]);
        return out == null ? new String[] {safeName(t)} : out;
    }

    /**
     * The names of the class these facts describe and of all its supertypes, read from raw class
     * files: its own from the transformer, each supertype's through the class's loader (cached per
     * loader like the rest). Null when some supertype's class file cannot be read or understood:
     * then nothing may be concluded from the names. Never throws.
     */
    static String[] namesOf(ClassFacts facts) {
        try {
            String own = facts.className();
            String[] supers = facts.supertypes();
            if (own == null || supers == null) {
                return null;
            }
            Map<String, String[]> cache = cacheOf(facts.loader);
            String[] cached = cached(cache, own);
            if (cached != null) {
                return cached;
            }
            boolean[] incomplete = new boolean[1];
            String[] out = rawClosure(own, supers, facts.loader, cache, 0, incomplete);
            return incomplete[0] ? null : out;
        } catch (Throwable e) {
            return null;
        }
    }

    /**
     * The names of the type with this internal name and of all its supertypes, read raw through
     * {@code loader} (null: the platform loader) and cached like the rest: no Byte Buddy type pool.
     * Null when some class file cannot be read or understood. Never throws.
     */
    static String[] namesOf(ClassLoader loader, String internalName) {
        try {
            if (internalName.startsWith("java/")) {
                loader = null; // the JDK's, whichever loader asks (see rawClosure)
            }
            Map<String, String[]> cache = cacheOf(loader);
            String dotted = internalName.replace('/', '.');
            String[] cached = cached(cache, dotted);
            if (cached != null) {
                return cached;
            }
            String[] supers = ClassFacts.supertypesOf(classFile(loader, internalName));
            if (supers == null) {
                return null;
            }
            boolean[] incomplete = new boolean[1];
            String[] out = rawClosure(dotted, supers, loader, cache, 0, incomplete);
            return incomplete[0] ? null : out;
        } catch (Throwable e) {
            return null;
        }
    }

    private static String[] rawClosure(String name, String[] supers, ClassLoader loader, Map<String, String[]> cache,
            int depth, boolean[] incomplete) {
        Set<String> names = new LinkedHashSet<>();
        names.add(name);
        boolean[] mine = new boolean[1];
        if (depth >= MAX_DEPTH) {
            mine[0] = true;
        } else {
            for (String s : supers) {
                String dotted = s.replace('/', '.');
                // a java.* type is the JDK's whichever loader asks: read once, through the platform loader, for all
                boolean jdk = s.startsWith("java/");
                Map<String, String[]> from = jdk ? cacheOf(null) : cache;
                ClassLoader by = jdk ? null : loader;
                String[] c = cached(from, dotted);
                if (c == null) {
                    String[] next = ClassFacts.supertypesOf(classFile(by, s));
                    if (next == null) {
                        mine[0] = true;
                        names.add(dotted);
                        continue;
                    }
                    c = rawClosure(dotted, next, by, from, depth + 1, mine);
                }
                for (String n : c) {
                    names.add(n);
                }
            }
        }
        String[] out = names.toArray(new String[0]);
        if (mine[0]) {
            incomplete[0] = true;
        } else {
            remember(cache, name, out);
        }
        return out;
    }

    /**
     * The cached names of {@code name}'s closure, or null. A hit stands for reading those class files
     * again: they are noted for the transformation in progress ({@link ClassFileReads}).
     */
    private static String[] cached(Map<String, String[]> cache, String name) {
        String[] names;
        synchronized (LOCK) {
            names = cache.get(name);
        }
        if (names != null) {
            for (String n : names) {
                ClassFileReads.noteDotted(n);
            }
        }
        return names;
    }

    /** Caches a complete closure (the cache starts over when full: bounded). */
    private static void remember(Map<String, String[]> cache, String name, String[] names) {
        synchronized (LOCK) {
            if (cache.size() >= MAX_TYPES) {
                cache.clear();
            }
            cache.put(name, names);
        }
    }

    /** A class file as the loader would define it (the platform loader for the bootstrap one); null if unreadable. */
    private static byte[] classFile(ClassLoader loader, String internalName) {
        ClassLoader l = loader != null ? loader : ClassLoader.getPlatformClassLoader();
        ClassFileReads.note(internalName);
        try (java.io.InputStream in = l.getResourceAsStream(internalName + ".class")) {
            byte[] b = in == null ? null : in.readAllBytes();
            ClassFileDigests.noteRead(l, internalName, b);
            return b;
        } catch (Throwable e) {
            return null;
        }
    }

    private static Map<String, String[]> cacheOf(ClassLoader loader) {
        Object key = loader == null ? BOOTSTRAP : loader;
        synchronized (LOCK) {
            Map<String, String[]> m = BY_LOADER.get(key);
            if (m == null) {
                if (BY_LOADER.size() >= MAX_LOADERS) {
                    BY_LOADER.clear();
                }
                m = new HashMap<>();
                BY_LOADER.put(key, m);
            }
            return m;
        }
    }

    /**
     * The names of {@code t} and the supertypes that resolve, as the former recursive match saw
     * them; sets {@code incomplete[0]} when some supertype did not resolve (then this type, and
     * every type below it, is not cached). Null when not even the name is known.
     */
    private static String[] closure(TypeDefinition t, Map<String, String[]> cache, int depth, boolean[] incomplete) {
        String name;
        try {
            name = t.asErasure().getName();
        } catch (Throwable e) {
            incomplete[0] = true;
            return null;
        }
        if (cache != null) {
            String[] cached = cached(cache, name);
            if (cached != null) {
                return cached;
            }
        }
        Set<String> names = new LinkedHashSet<>();
        names.add(name);
        boolean[] mine = new boolean[1];
        if (depth >= MAX_DEPTH) {
            mine[0] = true;
        } else {
            try {
                List<TypeDefinition> supers = new ArrayList<>();
                for (TypeDescription.Generic i : t.getInterfaces()) {
                    supers.add(i);
                }
                TypeDescription.Generic sup = t.getSuperClass();
                if (sup != null) {
                    supers.add(sup);
                }
                for (TypeDefinition s : supers) {
                    String[] c = closure(s, cache, depth + 1, mine);
                    if (c != null) {
                        for (String n : c) {
                            names.add(n);
                        }
                    }
                }
            } catch (Throwable e) {
                mine[0] = true; // an unresolvable supertype: not ours
            }
        }
        String[] out = names.toArray(new String[0]);
        if (mine[0]) {
            incomplete[0] = true;
        } else if (cache != null) {
            remember(cache, name, out);
        }
        return out;
    }

    private static String safeName(TypeDescription t) {
        try {
            return t.getName();
        } catch (Throwable e) {
            return "";
        }
    }
}
