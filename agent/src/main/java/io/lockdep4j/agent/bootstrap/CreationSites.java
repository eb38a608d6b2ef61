package io.lockdep4j.agent.bootstrap;

/**
 * Where a value made at one call site goes, read from the creating method's bytecode by the agent
 * (the instrumentation side owns the class-file reader; the bootstrap runtime only asks). Set once
 * at start-up; null means "no answer", and naming falls back to the holder's own field.
 */
public interface CreationSites {
    /**
     * The destination of the value returned by the call to {@code calleeOwner.calleeName} on
     * {@code line} of {@code method} in {@code creator}: {@code "F owner.field"} (stored in a field),
     * {@code "A owner.field"} (stored in the array, map or collection kept in that field),
     * {@code "R"} (returned to the caller), or null (a local, an argument, unknown). With
     * {@code throughJdk}, the callee is JDK code the value came back through (a map's
     * {@code computeIfAbsent}); then any call to a JDK method on that line matches.
     */
    String destination(Class<?> creator, String method, int line, String calleeOwner, String calleeName, boolean throughJdk);
}
