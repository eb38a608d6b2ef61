package io.lockdep4j.agent.instrumentation;

import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * A method pattern from the options: {@code com.acme.Foo#onEvent}, {@code com.acme.Foo#on*},
 * {@code com.acme.Foo#*} or {@code com.acme.Foo} (every method). The class part may end with
 * {@code *} (a prefix). A pattern matches methods declared in the class and in its subtypes, so
 * naming an interface method covers its implementations.
 */
public final class MethodPattern {
    final String type;
    final boolean typePrefix;
    final String method;
    final boolean methodPrefix;
    /** Free payload: the context name a pattern belongs to, the put method of a refcount... */
    public final String tag;

    private MethodPattern(String type, String method, String tag) {
        this.typePrefix = type.endsWith("*");
        this.type = typePrefix ? type.substring(0, type.length() - 1) : type;
        String m = method == null || method.isEmpty() ? "*" : method;
        this.methodPrefix = m.endsWith("*");
        this.method = methodPrefix ? m.substring(0, m.length() - 1) : m;
        this.tag = tag;
    }

    public static MethodPattern parse(String spec, String tag) {
        int hash = spec.indexOf('#');
        return hash < 0 ? new MethodPattern(spec.trim(), "*", tag)
                : new MethodPattern(spec.substring(0, hash).trim(), spec.substring(hash + 1).trim(), tag);
    }

    public static List<MethodPattern> parseAll(List<String> specs, String tag) {
        List<MethodPattern> out = new ArrayList<>();
        for (String s : specs) {
            out.add(parse(s, tag));
        }
        return out;
    }

    boolean matchesTypeName(String name) {
        return typePrefix ? name.startsWith(type) : name.equals(type);
    }

    public boolean matchesMethodName(String name) {
        return methodPrefix ? name.startsWith(method) : name.equals(method);
    }

    /** Whether this type or one of its supertypes is the pattern's class; never throws. */
    public boolean matchesType(TypeDescription t) {
        return matchesAnyName(TypeHierarchy.namesOf(t));
    }

    /** Whether one of these type names (a type's and its supertypes') is the pattern's class. */
    boolean matchesAnyName(String[] names) {
        for (String name : names) {
            if (matchesTypeName(name)) {
                return true;
            }
        }
        return false;
    }

    /** Methods with code that match the method part: no constructors, bridges, abstract or native methods. */
    public ElementMatcher<MethodDescription> methods() {
        return m -> !m.isConstructor() && !m.isTypeInitializer() && !m.isAbstract() && !m.isNative() && !m.isBridge()
                && (!m.isSynthetic() || !methodPrefix || !method.isEmpty()) && matchesMethodName(m.getInternalName())
                && !(methodPrefix && method.isEmpty() && m.isSynthetic());
    }

    @Override
    public String toString() {
        return (typePrefix ? type + "*" : type) + "#" + (methodPrefix ? method + "*" : method);
    }
}
