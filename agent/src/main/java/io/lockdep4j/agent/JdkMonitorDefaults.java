package io.lockdep4j.agent;

import java.util.List;

/**
 * The default {@code jdkMonitors}: the JDK classes whose own monitor a program locks through their
 * methods while they run code the class does not control. Computed, not picked: this is the output of
 * {@code JdkMonitorScan} (agent tests; its javadoc states the rule) on JDK 17 and on JDK 25, merged.
 * {@code JdkMonitorDefaultsTest} fails when the running JDK selects a class missing here: rerun the
 * scan and paste its output. A name a JDK lacks costs nothing (it is only compared with loaded names).
 */
final class JdkMonitorDefaults {
    private JdkMonitorDefaults() {}

    /**
     * The part of the default retransformed at a {@code -javaagent} start when the JVM loaded it
     * before the agent (the default before the scan: Hashtable is loaded at every start). The rest is
     * instrumented when it loads after the agent: on JDK 17 a hello world has already loaded ZipFile,
     * JarFile, Properties, Random and ResourceBundle, and retransforming those five added about 1 s
     * of CPU to its start. Name a class in {@code jdkMonitors} to have it retransformed.
     */
    static final List<String> EAGER = List.of("java.util.Hashtable", "java.util.Vector", "java.util.Stack",
            "java.util.Observable", "java.util.Collections$Synchronized");

    static final List<String> CLASSES = List.of(
            "java.beans.EventSetDescriptor",
            "java.beans.IndexedPropertyDescriptor",
            "java.beans.MethodDescriptor",
            "java.beans.PropertyDescriptor",
            "java.beans.PropertyEditorSupport",
            "java.beans.beancontext.BeanContextChildSupport",
            "java.beans.beancontext.BeanContextServicesSupport",
            "java.beans.beancontext.BeanContextSupport",
            "java.util.Collections$SynchronizedCollection",
            "java.util.Collections$SynchronizedList",
            "java.util.Collections$SynchronizedMap",
            "java.util.Collections$SynchronizedNavigableMap",
            "java.util.Collections$SynchronizedNavigableSet",
            "java.util.Collections$SynchronizedRandomAccessList",
            "java.util.Collections$SynchronizedSet",
            "java.util.Collections$SynchronizedSortedMap",
            "java.util.Collections$SynchronizedSortedSet",
            "java.util.Hashtable",
            "java.util.Observable",
            "java.util.Properties",
            "java.util.Random",
            "java.util.ResourceBundle",
            "java.util.Stack",
            "java.util.Vector",
            "java.util.Vector$1",
            "java.util.Vector$Itr",
            "java.util.Vector$ListItr",
            "java.util.jar.JarFile",
            "java.util.logging.ErrorManager",
            "java.util.logging.FileHandler",
            "java.util.logging.Handler",
            "java.util.logging.MemoryHandler",
            "java.util.logging.SocketHandler",
            "java.util.logging.StreamHandler",
            "java.util.zip.GZIPOutputStream",
            "java.util.zip.ZipFile",
            "java.util.zip.ZipFile$EntrySpliterator",
            "java.util.zip.ZipOutputStream"
    );
}
