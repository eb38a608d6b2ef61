package io.lockdep4j.agent;

import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * The agent's entry point ({@code -javaagent:lockdep4j-agent.jar=OPTIONS} or attach). It first
 * puts the bootstrap runtime and the event classes on the bootstrap class path, then hands over
 * to {@code AgentInstaller} by name, so that no runtime class is loaded from the wrong loader.
 * Whatever happens, it never stops the host: failures are one line on stderr.
 */
public final class Lockdep4jAgent {
    private Lockdep4jAgent() {}

    private static volatile boolean installed;

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    private static synchronized void start(String args, Instrumentation inst, boolean attached) {
        if (installed) {
            if (args != null && args.trim().equals("stop")) {
                try {
                    Class.forName("io.lockdep4j.agent.AgentInstaller").getMethod("stop", Instrumentation.class).invoke(null, inst);
                    installed = false;
                    System.err.println("lockdep4j: agent stopped; instrumented classes restored");
                } catch (Throwable t) {
                    System.err.println("lockdep4j: could not stop the agent cleanly: " + t);
                }
            } else {
                System.err.println("lockdep4j: agent already installed in this JVM; ignoring the second start");
            }
            return;
        }
        try {
            // JDK 24+: Byte Buddy must not touch sun.misc.Unsafe (it would print warnings in the host)
            if (System.getProperty("net.bytebuddy.safe") == null) {
                System.setProperty("net.bytebuddy.safe", "true");
            }
            appendBootstrapJar(inst);
            Class.forName("io.lockdep4j.agent.AgentInstaller")
                    .getMethod("install", String.class, Instrumentation.class, boolean.class)
                    .invoke(null, args, inst, attached);
            installed = true;
        } catch (Throwable t) {
            Throwable cause = t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null ? t.getCause() : t;
            System.err.println("lockdep4j: agent not installed, the application runs without it: " + cause);
        }
    }

    private static void appendBootstrapJar(Instrumentation inst) throws Exception {
        inst.appendToBootstrapClassLoaderSearch(new JarFile(BootstrapJarCache.bootstrapJar()));
    }
}
