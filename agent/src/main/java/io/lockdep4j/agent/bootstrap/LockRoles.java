package io.lockdep4j.agent.bootstrap;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The role a lock plays, decided once per lock instance when it is created (never per acquisition).
 * The rules, in the order they apply (README "How a lock gets its name" shows the same cases):
 *
 * <ol>
 * <li>A lock stored in a field of an object of a <em>subclass</em> of the field's declaring class is
 *     named by the runtime class: Commons Pool's {@code BaseGenericObjectPool.closeLock} is
 *     {@code GenericObjectPool.closeLock} in a connection pool and {@code GenericKeyedObjectPool.closeLock}
 *     in a statement pool. Two instances of one runtime class stay one class.</li>
 * <li>A lock stored in a field of a <em>small holder</em> (a wrapper whose state is only private
 *     locks, conditions, lock containers and final primitives; an adapter implementing {@code Lock},
 *     {@code ReadWriteLock} or {@code AutoCloseable} may also hold other small holders), or a lock that is itself an instance of a {@code ReentrantLock} /
 *     {@code ReentrantReadWriteLock} subclass, takes its name from where the holder was created:
 *     the field its creator stored it in ({@code com.acme.Registry.lock} for Jetty's
 *     {@code AutoLock} in {@code Registry.lock}), recursively through holders of holders and through
 *     factory methods that return it; kept in a local, it is named by that creation site.</li>
 * <li>A lock stored in an array, map or collection kept in a field is named after that field with
 *     {@code []} ({@code com.acme.FileTracker.filesLock[]}), also when the container is inside a
 *     small holder kept in that field (a Striped-like class).</li>
 * </ol>
 *
 * <p>Cost: one stack walk (at most {@link #MAX_FRAMES} frames) when a lock is created inside a holder
 * or as a lock subclass; the bytecode of each creating class is read once (see {@link CreationSites}).
 */
public final class LockRoles {
    private LockRoles() {}

    static final int MAX_FRAMES = 40;
    private static final int MAX_HOPS = 8;
    private static final int MAX_NAMES = 1 << 14;

    /** Set by the agent at start-up. */
    static volatile CreationSites sites;

    public static void useCreationSites(CreationSites s) {
        sites = s;
    }

    /** (runtime class name, field id) → id, and other derived names; bounded (full: not cached). */
    private static final HashMap<String, Integer> derived = new HashMap<>();

    /** The role of a lock stored in field {@code fieldId} of {@code holder} (rule 1); never throws. */
    static int ofField(Object holder, int fieldId) {
        String field = LockClasses.name(fieldId);
        String runtime = holder.getClass().getName();
        int dot = field.lastIndexOf('.');
        if (dot <= 0 || field.substring(0, dot).equals(runtime)) {
            return fieldId;
        }
        return derive(runtime + field.substring(dot), LockClasses.kind(fieldId));
    }

    static int derive(String name, byte kind) {
        synchronized (derived) {
            Integer id = derived.get(name);
            if (id != null) {
                return id;
            }
        }
        int id = LockClasses.intern(name, kind);
        synchronized (derived) {
            if (derived.size() < MAX_NAMES) {
                derived.put(name, id);
            }
        }
        return id;
    }

    // ---- small holders

    private static final ClassValue<Boolean> SMALL_HOLDER = new ClassValue<Boolean>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return isSmallHolder(type, 0);
            } catch (Throwable t) { // a field type that does not resolve: not a holder, decided once
                return false;
            }
        }
    };

    static boolean smallHolder(Class<?> type) {
        return SMALL_HOLDER.get(type);
    }

    /**
     * A small holder: a {@code Lock} or {@code ReadWriteLock} implementation, or a class (not the
     * JDK's) that encapsulates its locks: its instance fields are all <em>private</em> locks,
     * conditions, arrays of locks (or of Object: a generic stripe table), maps or collections whose
     * type arguments are locks, or final primitives (a stripe mask, a fairness flag); an
     * {@code AutoCloseable} one (an adapter) may also hold other small holders. Any
     * other state (a String, a map of data, a reference to the application) makes the class an
     * owner, whose field is the lock's role.
     */
    private static boolean isSmallHolder(Class<?> type, int depth) {
        if (type.getClassLoader() == null || type.isArray() || type.isInterface() || depth > 3) {
            return false; // JDK classes are not holders: their locks are named where the application keeps them
        }
        if (Lock.class.isAssignableFrom(type) || ReadWriteLock.class.isAssignableFrom(type)) {
            return true; // a lock implementation: whatever else it keeps, its locks are its own
        }
        boolean adapter = AutoCloseable.class.isAssignableFrom(type);
        boolean holdsLock = false;
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
                    continue;
                }
                Class<?> t = f.getType();
                if (t.isPrimitive()) {
                    if (!Modifier.isFinal(f.getModifiers())) {
                        return false; // mutable state (a count, a size): an application object, not a wrapper
                    }
                    continue;
                }
                if (!Modifier.isPrivate(f.getModifiers())) {
                    return false; // a lock others reach by its field: the owner's field is its role
                }
                if (lockish(t) || t.isArray() && (lockish(t.getComponentType()) || t.getComponentType() == Object.class)
                        || (java.util.Map.class.isAssignableFrom(t) || java.util.Collection.class.isAssignableFrom(t))
                                && lockTypeArgument(f.getGenericType())
                        || adapter && t != type && isSmallHolder(t, depth + 1)) {
                    holdsLock = true;
                    continue;
                }
                return false;
            }
        }
        return holdsLock;
    }

    static boolean lockish(Class<?> t) {
        return Lock.class.isAssignableFrom(t) || ReadWriteLock.class.isAssignableFrom(t)
                || StampedLock.class.isAssignableFrom(t) || Condition.class.isAssignableFrom(t);
    }

    private static boolean lockTypeArgument(Type generic) {
        if (generic instanceof ParameterizedType) {
            for (Type a : ((ParameterizedType) generic).getActualTypeArguments()) {
                if (a instanceof Class && lockish((Class<?>) a)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---- naming from the creator's frames (rules 2 and 3)

    /** Collects up to MAX_FRAMES frames (a named class, not a lambda: bootstrap code has none). */
    private static final class Collect implements Function<Stream<StackWalker.StackFrame>, List<StackWalker.StackFrame>> {
        @Override
        public List<StackWalker.StackFrame> apply(Stream<StackWalker.StackFrame> s) {
            List<StackWalker.StackFrame> out = new ArrayList<>();
            Iterator<StackWalker.StackFrame> it = s.iterator();
            while (it.hasNext() && out.size() < MAX_FRAMES) {
                out.add(it.next());
            }
            return out;
        }
    }

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final Collect COLLECT = new Collect();

    /**
     * The role of an object of class {@code made} just constructed (its constructors are on the
     * stack, innermost first, under the agent's frames), from where its creator put it; 0 when the
     * frames say nothing better than the caller's fallback.
     */
    static int fromCreator(Class<?> made, byte kind) {
        CreationSites s = sites;
        if (s == null || made.getClassLoader() == null) {
            return 0; // a JDK lock subclass is named where the application keeps it, as JDK locks are
        }
        List<StackWalker.StackFrame> frames = WALKER.walk(COLLECT);
        int i = 0;
        while (i < frames.size() && frames.get(i).getClassName().startsWith("io.lockdep4j.agent.")) {
            i++;
        }
        // skip the constructors of the made object (its class and superclasses, e.g. ReentrantLock.<init>)
        StackWalker.StackFrame callee = null;
        while (i < frames.size() && isConstructorOf(frames.get(i), made)) {
            callee = frames.get(i++);
        }
        if (callee == null) {
            return 0;
        }
        return follow(s, frames, i, callee.getDeclaringClass().getName(), "<init>", kind);
    }

    /**
     * The role of a lock just made in the innermost application frame that is either returned
     * ({@code returned}) or stored into an array (otherwise): the frame itself is where it goes.
     */
    static int fromSite(byte kind, String lockOwner) {
        CreationSites s = sites;
        if (s == null) {
            return 0;
        }
        List<StackWalker.StackFrame> frames = WALKER.walk(COLLECT);
        int i = 0;
        while (i < frames.size() && frames.get(i).getClassName().startsWith("io.lockdep4j.agent.")) {
            i++;
        }
        return follow(s, frames, i, lockOwner, "<init>", kind);
    }

    private static boolean isConstructorOf(StackWalker.StackFrame f, Class<?> made) {
        return "<init>".equals(f.getMethodName()) && f.getDeclaringClass().isAssignableFrom(made);
    }

    private static int follow(CreationSites s, List<StackWalker.StackFrame> frames, int i, String calleeOwner,
                              String calleeName, byte kind) {
        boolean container = false;
        boolean throughJdk = false;
        for (int hop = 0; hop < MAX_HOPS && i < frames.size(); hop++) {
            StackWalker.StackFrame f = frames.get(i);
            Class<?> c = f.getDeclaringClass();
            if (c.getClassLoader() == null || c.getName().startsWith("io.lockdep4j.agent.")) {
                throughJdk = true; // a JDK method the value passed through (a map's computeIfAbsent)
                i++;
                continue;
            }
            String where = s.destination(c, f.getMethodName(), f.getLineNumber(), calleeOwner, calleeName, throughJdk);
            throughJdk = false;
            if (where == null) {
                return hop == 0 ? 0 : derive(c.getName() + "." + f.getMethodName() + ":" + f.getLineNumber(), kind);
            }
            if (where.equals("R")) {
                calleeOwner = c.getName();
                calleeName = f.getMethodName();
                i++;
                continue;
            }
            container |= where.startsWith("A ");
            String field = where.substring(2);
            int dot = field.lastIndexOf('.');
            String fieldOwner = dot > 0 ? field.substring(0, dot) : c.getName();
            if ("<init>".equals(f.getMethodName()) && c.getName().equals(fieldOwner)) {
                // stored into the object under construction: its runtime class is the outermost
                // constructor of a subclass still on the stack
                int j = i + 1;
                Class<?> runtime = c;
                while (j < frames.size() && "<init>".equals(frames.get(j).getMethodName())
                        && runtime.isAssignableFrom(frames.get(j).getDeclaringClass())) {
                    runtime = frames.get(j++).getDeclaringClass(); // super(...) and this(...) chains
                }
                if (smallHolder(runtime) && j < frames.size()) {
                    calleeOwner = runtime.getName();
                    calleeName = "<init>";
                    i = j;
                    continue; // a holder of a holder: its creator names it
                }
                field = runtime.getName() + field.substring(dot);
            }
            return derive(container ? field + "[]" : field, kind);
        }
        return 0;
    }
}
