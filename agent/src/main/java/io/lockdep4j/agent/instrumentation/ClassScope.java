package io.lockdep4j.agent.instrumentation;

import io.lockdep4j.agent.AgentOptions;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Which classes count as application code, as opposed to the JDK or the agent itself. */
public final class ClassScope {
    private ClassScope() {}

    private static final String[] JDK_PREFIXES = {
        "java.", "javax.", "jdk.", "sun.", "com.sun.", "org.ietf.", "org.w3c.", "org.xml.", "org.jcp.",
    };

    public static boolean isJdkOrAgent(String name) {
        for (String p : JDK_PREFIXES) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return isAgentOwn(name) || name.contains("$$Proxy");
    }

    /**
     * The agent's own classes (its code, its event classes, its shaded Byte Buddy) and lambda
     * classes, which the agent never instruments, counts or retransforms. {@code name} dotted or
     * internal ({@code io/lockdep4j/agent/...}): the transformer sees internal names.
     */
    public static boolean isAgentOwn(String name) {
        if (name.contains("$$Lambda")) {
            return true;
        }
        if (!name.startsWith("io") || name.length() < 13 || !name.regionMatches(3, "lockdep4j", 0, 9)) {
            return false;
        }
        char sep = name.charAt(2);
        if ((sep != '.' && sep != '/') || name.charAt(12) != sep) {
            return false;
        }
        for (String part : AGENT_PACKAGES) {
            int end = 13 + part.length();
            if (name.startsWith(part, 13) && name.length() > end && name.charAt(end) == sep) {
                return true;
            }
        }
        return false;
    }

    private static final String[] AGENT_PACKAGES = {"agent", "events", "shaded"};

    /** Application and library classes the user did not exclude. */
    public static ElementMatcher<TypeDescription> application(AgentOptions options) {
        return type -> isApplication(options, type.getName());
    }

    public static boolean isApplication(AgentOptions options, String name) {
        return name != null && !isJdkOrAgent(name) && options.instrumentsApplicationClass(name);
    }

    /**
     * True while the agent, started with the JVM, retransforms the classes loaded before it: then only
     * the eager part of the jdkMonitors default is matched (JdkMonitorDefaults.EAGER).
     */
    public static volatile boolean startupRetransformation;

    /** JDK classes whose monitors are traced because applications lock them (Hashtable, Vector, …). */
    public static ElementMatcher<TypeDescription> jdkMonitorClasses(AgentOptions options) {
        return type -> isTracedJdkMonitorClass(options, type.getName());
    }

    public static boolean isTracedJdkMonitorClass(AgentOptions options, String name) {
        return name != null && options.tracesJdkMonitors(name)
                && (!startupRetransformation || options.retransformsJdkMonitorAtStart(name));
    }

    /** Application classes and the traced JDK monitor classes, by name ({@link ClassFilter}s). */
    public static boolean isApplicationOrTracedJdk(AgentOptions options, String name) {
        return isApplication(options, name) || isTracedJdkMonitorClass(options, name);
    }
}
