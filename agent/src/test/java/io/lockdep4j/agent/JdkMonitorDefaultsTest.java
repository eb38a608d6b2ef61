package io.lockdep4j.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The committed default jdkMonitors is the scan's output: it must cover what the running JDK selects. */
class JdkMonitorDefaultsTest {
    @Test
    void defaultCoversEveryClassTheRuleSelectsOnThisJdk() throws Exception {
        Set<String> scanned = new JdkMonitorScan().scan();
        Set<String> missing = new TreeSet<>(scanned);
        missing.removeAll(JdkMonitorDefaults.CLASSES);
        assertTrue(missing.isEmpty(), "JDK " + Runtime.version() + " selects classes missing from JdkMonitorDefaults "
                + "(rerun JdkMonitorScan and merge its output): " + missing);
    }

    @Test
    void theRuleSelectsTheKnownCalloutClassesAndNotThePlainOnes() throws Exception {
        Set<String> scanned = new JdkMonitorScan().scan();
        // synchronized methods that call the application's keys, listeners, handlers and collections
        for (String c : new String[] {"java.util.Hashtable", "java.util.Vector", "java.util.Observable",
                "java.util.Collections$SynchronizedMap", "java.util.logging.MemoryHandler", "java.util.logging.StreamHandler"}) {
            assertTrue(scanned.contains(c), c + " in " + scanned);
        }
        // synchronized, but calling nothing an application supplies / not synchronized at all
        for (String c : new String[] {"java.lang.StringBuffer", "java.util.concurrent.ConcurrentHashMap",
                "java.util.ArrayList", "java.beans.PropertyChangeSupport"}) {
            assertTrue(!scanned.contains(c), c + " not in " + scanned);
        }
    }

    @Test
    void theDefaultOptionIsTheComputedList() {
        AgentOptions o = AgentOptions.parse("");
        assertTrue(o.tracesJdkMonitors("java.util.logging.MemoryHandler"));
        assertTrue(o.tracesJdkMonitors("java.util.Hashtable"));
        assertTrue(!o.tracesJdkMonitors("java.util.HashMap"));
    }
}
