package io.lockdep4j.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.hasDescriptor;
import static net.bytebuddy.matcher.ElementMatchers.named;

import io.lockdep4j.agent.AgentOptions;
import io.lockdep4j.agent.bootstrap.AgentCounters;
import io.lockdep4j.agent.bootstrap.ContextHooks;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Context methods: notifier (listener callbacks), recovery, mustNotBlock and named contexts from
 * the options, plus the default notifiers: public methods of {@code java.util.EventListener}
 * implementations and {@code on*} methods of classes named {@code *Listener}.
 *
 * <p>Lambda listeners ({@code bus.register(e -> cache.close(e.path()))}) have no class to
 * instrument: their hidden class cannot be retransformed. Their body is a synthetic
 * {@code lambda$...} method of the enclosing class, and the class's invokedynamic instructions say
 * which functional interface each lambda implements. So for application classes that declare
 * {@code lambda$} methods, the agent reads the class file, finds the LambdaMetafactory call sites
 * whose interface is a listener (or matches a configured pattern), and instruments their
 * implementation methods as contexts named after the interface method. Method references
 * ({@code bus.register(cache::onEvent)}) point at an ordinary method of another class; they are
 * covered only when that method matches a pattern by itself.
 */
public final class ContextInstrumentation implements LockdepInstrumentation {
    static final String EVENT_LISTENER = "java.util.EventListener";

    @Retention(RetentionPolicy.RUNTIME)
    public @interface ContextName {}

    @Retention(RetentionPolicy.RUNTIME)
    public @interface ContextType {}

    @Retention(RetentionPolicy.RUNTIME)
    public @interface ContextMethod {}

    static List<MethodPattern> patterns(AgentOptions options) {
        List<MethodPattern> out = new ArrayList<>();
        out.addAll(MethodPattern.parseAll(options.notifierMethods, "notifier"));
        out.addAll(MethodPattern.parseAll(options.recoveryMethods, "recovery"));
        out.addAll(MethodPattern.parseAll(options.mustNotBlockMethods, "mustNotBlock"));
        for (String c : options.contexts) {
            int at = c.indexOf('@');
            out.add(MethodPattern.parse(c.substring(at + 1), c.substring(0, at).trim().intern()));
        }
        return out;
    }

    static final MethodPattern EVENT_LISTENER_PATTERN = MethodPattern.parse(EVENT_LISTENER + "#*", "notifier");

    static boolean isDefaultListenerType(TypeDescription t) {
        return simpleName(t.getName()).endsWith("Listener") || EVENT_LISTENER_PATTERN.matchesType(t);
    }

    static String simpleName(String name) {
        int i = Math.max(name.lastIndexOf('.'), name.lastIndexOf('$'));
        return name.substring(i + 1);
    }

    static boolean hasLambdas(TypeDescription t) {
        for (MethodDescription.InDefinedShape m : t.getDeclaredMethods()) {
            if (m.getInternalName().startsWith("lambda$")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public ElementMatcher<TypeDescription> types(AgentOptions options) {
        if (!options.releasePaths) {
            return t -> false;
        }
        List<MethodPattern> patterns = patterns(options);
        ElementMatcher<TypeDescription> app = ClassScope.application(options);
        return t -> {
            if (!app.matches(t) || t.isInterface()) { // the name first: isInterface() parses the class
                return false;
            }
            for (MethodPattern p : patterns) {
                if (p.matchesType(t)) {
                    return true;
                }
            }
            return (options.defaultNotifiers && isDefaultListenerType(t))
                    || (hasLambdas(t) && (!ClassFacts.isCurrent(t)
                            || !lambdaContexts(t, null, patterns, options.defaultNotifiers).isEmpty()));
        };
    }

    @Override
    public ClassFilter filter(AgentOptions options) {
        if (!options.releasePaths) {
            return ClassFilter.NONE;
        }
        List<MethodPattern> patterns = patterns(options);
        List<MethodPattern> typed = new ArrayList<>(patterns);
        if (options.defaultNotifiers) {
            typed.add(EVENT_LISTENER_PATTERN);
        }
        return c -> {
            String n = c.className();
            if (!ClassScope.isApplication(options, n) || c.isInterface()) {
                return false;
            }
            return (options.defaultNotifiers && simpleName(n).endsWith("Listener")) || ClassFilter.anyPatternNames(c, typed)
                    || (c.has(ClassFacts.LAMBDA) && mayDeclareLambdaContext(c, patterns, options.defaultNotifiers)
                            && !lambdaContexts(c, patterns, options.defaultNotifiers).isEmpty());
        };
    }

    @Override
    public AgentBuilder.Transformer transformer(AgentOptions options) {
        List<MethodPattern> patterns = patterns(options);
        return (builder, type, loader, module, domain) -> {
            // configured patterns, grouped by context name
            Map<String, ElementMatcher.Junction<MethodDescription>> byName = new LinkedHashMap<>();
            for (MethodPattern p : patterns) {
                if (p.matchesType(type)) {
                    ElementMatcher.Junction<MethodDescription> m = byName.get(p.tag);
                    ElementMatcher.Junction<MethodDescription> pm = net.bytebuddy.matcher.ElementMatchers.<MethodDescription>any().and(p.methods());
                    byName.put(p.tag, m == null ? pm : m.or(pm));
                }
            }
            if (options.defaultNotifiers) {
                ElementMatcher.Junction<MethodDescription> defaults = null;
                if (EVENT_LISTENER_PATTERN.matchesType(type)) {
                    defaults = net.bytebuddy.matcher.ElementMatchers.<MethodDescription>any().and(m -> m.isPublic() && !m.isStatic()
                            && !m.isConstructor() && !m.isTypeInitializer() && !m.isAbstract() && !m.isBridge() && !m.isSynthetic()
                            && !isObjectMethod(m));
                }
                if (simpleName(type.getName()).endsWith("Listener")) {
                    ElementMatcher.Junction<MethodDescription> on = net.bytebuddy.matcher.ElementMatchers.<MethodDescription>any()
                            .and(m -> !m.isStatic() && !m.isAbstract() && !m.isBridge() && !m.isSynthetic()
                                    && m.getInternalName().startsWith("on") && m.getInternalName().length() > 2);
                    defaults = defaults == null ? on : defaults.or(on);
                }
                if (defaults != null) {
                    ElementMatcher.Junction<MethodDescription> m = byName.get("notifier");
                    byName.put("notifier", m == null ? defaults : m.or(defaults));
                }
            }
            for (Map.Entry<String, ElementMatcher.Junction<MethodDescription>> e : byName.entrySet()) {
                builder = builder.visit(Advices.bound(ContextName.class, e.getKey(), ContextAdvice.class).on(e.getValue()));
            }
            if (hasLambdas(type)) {
                for (String[] l : lambdaContexts(type, loader, patterns, options.defaultNotifiers)) {
                    builder = builder.visit(Advice.withCustomMapping()
                            .bind(ContextName.class, l[0])
                            .bind(ContextType.class, l[1])
                            .bind(ContextMethod.class, l[2] + " (lambda in " + type.getName() + ")")
                            .to(LambdaContextAdvice.class).on(named(l[3]).and(hasDescriptor(l[4]))));
                }
            }
            return builder;
        };
    }

    static boolean isObjectMethod(MethodDescription m) {
        String n = m.getInternalName();
        return n.equals("toString") || n.equals("hashCode") || n.equals("equals");
    }

    /**
     * The lambdas of this class that implement listener interfaces (or configured patterns), as
     * {context name, interface, interface method, implementation name, implementation descriptor}.
     * Computed once per transformation from the class file being loaded ({@link ClassFacts}), so
     * that the matcher can skip classes whose lambdas are not contexts; without facts (or for
     * another class) the class file is located through its loader ({@code loader}; none: empty).
     */
    static List<String[]> lambdaContexts(TypeDescription type, ClassLoader loader, List<MethodPattern> patterns, boolean defaults) {
        ClassFacts facts = ClassFacts.current();
        if (facts != null && facts.isFor(type.getInternalName())) {
            return lambdaContexts(facts, patterns, defaults);
        }
        if (loader == null) {
            return new ArrayList<>();
        }
        ClassFileLocator.Resolution r;
        try {
            r = ClassFileReads.noting(ClassFileLocator.ForClassLoader.of(loader)).locate(type.getName());
        } catch (Throwable t) {
            AgentCounters.failure("lambda contexts of " + type.getName(), t);
            return new ArrayList<>();
        }
        return r.isResolved() ? lambdaContexts(type.getInternalName(), r.resolve(), loader, patterns, defaults) : new ArrayList<>();
    }

    private static final List<String[]> UNREAD = List.<String[]>of(new String[] {"?", "?", "?", "?", "?"});

    /**
     * Whether some lambda of the class being loaded could be a context, judged from its constant pool
     * alone: a lambda is an invokedynamic call site returning its functional interface, so a class none
     * of whose call sites names a context's interface and method (Runnable, Function, most of them)
     * declares none, and its code is not parsed ({@link #lambdaContexts} parses every method: the
     * largest part of the transformer's time for a test fork's classes). True when the constants
     * cannot be read.
     */
    static boolean mayDeclareLambdaContext(ClassFacts facts, List<MethodPattern> patterns, boolean defaults) {
        String[] targets = facts.indyTargets();
        if (targets == null || facts.loader == null) {
            return true;
        }
        for (int i = 0; i < targets.length; i += 2) {
            if (contextOf(facts.loader, targets[i].replace('/', '.'), targets[i + 1], patterns, defaults) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * The context a lambda implementing {@code iface}'s (binary name) method {@code method} runs in, or
     * null: a pattern's, or with the defaults "notifier" for an EventListener or a {@code *Listener#on*}.
     * The interface's names are read raw and cached per loader; unreadable, it is no context.
     */
    private static String contextOf(ClassLoader loader, String iface, String method, List<MethodPattern> patterns, boolean defaults) {
        String[] names = TypeHierarchy.namesOf(loader, iface.replace('.', '/'));
        if (names == null) {
            return null;
        }
        for (MethodPattern p : patterns) {
            if (p.matchesAnyName(names) && p.matchesMethodName(method)) {
                return p.tag;
            }
        }
        if (defaults && (EVENT_LISTENER_PATTERN.matchesAnyName(names) || (simpleName(iface).endsWith("Listener") && method.startsWith("on")))) {
            return "notifier";
        }
        return null;
    }

    /** The same for the class being loaded, from its class file; computed once per transformation. */
    static List<String[]> lambdaContexts(ClassFacts facts, List<MethodPattern> patterns, boolean defaults) {
        if (facts.bytes() == null) { // a class judged by its name (TransformPipeline.mayMatchUnread): may have any
            return UNREAD;
        }
        if (facts.lambdaContexts == null) {
            String name = facts.className();
            facts.lambdaContexts = name == null || facts.loader == null ? new ArrayList<>()
                    : lambdaContexts(name.replace('.', '/'), facts.bytes(), facts.loader, patterns, defaults);
        }
        return facts.lambdaContexts;
    }

    private static List<String[]> lambdaContexts(String internalName, byte[] bytes, ClassLoader loader, List<MethodPattern> patterns,
            boolean defaults) {
        List<String[]> out = new ArrayList<>();
        try {
            List<String[]> lambdas = new ArrayList<>(); // interface, sam name, impl name, impl descriptor
            new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitInvokeDynamicInsn(String samName, String indyDesc, Handle bsm, Object... args) {
                            if (!"java/lang/invoke/LambdaMetafactory".equals(bsm.getOwner()) || args.length < 2
                                    || !(args[1] instanceof Handle)) {
                                return;
                            }
                            Handle impl = (Handle) args[1];
                            if (impl.getOwner().equals(internalName) && impl.getName().startsWith("lambda$")) {
                                lambdas.add(new String[] {Type.getReturnType(indyDesc).getClassName(), samName, impl.getName(), impl.getDesc()});
                            }
                        }
                    };
                }
            }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            for (String[] lambda : lambdas) {
                String contextName = contextOf(loader, lambda[0], lambda[1], patterns, defaults);
                if (contextName != null) {
                    out.add(new String[] {contextName, lambda[0], lambda[1], lambda[2], lambda[3]});
                }
            }
        } catch (Throwable t) {
            AgentCounters.failure("lambda contexts of " + internalName.replace('/', '.'), t);
        }
        return out;
    }

    public static final class ContextAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@ContextName String name, @Advice.Origin("#t") String type, @Advice.Origin("#m") String method) {
            return ContextHooks.contextEnter(name, type, method);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            ContextHooks.contextExit(token);
        }
    }

    public static final class LambdaContextAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@ContextName String name, @ContextType String type, @ContextMethod String method) {
            return ContextHooks.contextEnter(name, type, method);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            ContextHooks.contextExit(token);
        }
    }
}
