package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the shipped agent jar itself: manifest, relocation, and the nested bootstrap jar. */
class AgentJarTest {
    static final String AGENT = Launcher.ROOT.resolve("agent/target/lockdep4j-agent.jar").toString();

    @Test
    void manifestDeclaresBothEntryPointsAndRetransformation() throws Exception {
        try (JarFile jar = new JarFile(AGENT)) {
            Manifest m = jar.getManifest();
            assertEquals("io.lockdep4j.agent.Lockdep4jAgent", m.getMainAttributes().getValue("Premain-Class"));
            assertEquals("io.lockdep4j.agent.Lockdep4jAgent", m.getMainAttributes().getValue("Agent-Class"));
            assertEquals("true", m.getMainAttributes().getValue("Can-Retransform-Classes"));
        }
    }

    @Test
    void byteBuddyIsRelocatedAndNothingLeaksOntoTheApplicationPath() throws Exception {
        List<String> leaked = new ArrayList<>();
        int shaded = 0;
        try (JarFile jar = new JarFile(AGENT)) {
            for (JarEntry e : Collections.list(jar.entries())) {
                String n = e.getName();
                if (!n.endsWith(".class")) {
                    continue;
                }
                if (n.startsWith("io/lockdep4j/shaded/bytebuddy/") || n.startsWith("META-INF/versions/")) {
                    shaded++;
                } else if (!n.startsWith("io/lockdep4j/agent/") || n.startsWith("io/lockdep4j/agent/bootstrap/")) {
                    leaked.add(n); // bootstrap classes must only come from the nested jar
                }
            }
        }
        assertTrue(shaded > 1000, "Byte Buddy shaded: " + shaded);
        assertEquals(List.of(), leaked);
    }

    /**
     * Byte Buddy's base classes are Java 5 class files, which the JVM verifies with its slow inference
     * verifier (about a third of the agent's start-up CPU); its Java 8 builds are multi-release entries.
     * They must be relocated with the package, or the JVM never finds them: what a JVM loads for a
     * shaded class is a Java 8+ class file.
     */
    @Test
    void theJvmLoadsByteBuddysJava8ClassFiles() throws Exception {
        List<String> unrelocated = new ArrayList<>();
        try (JarFile jar = new JarFile(new File(AGENT), true, java.util.zip.ZipFile.OPEN_READ, JarFile.runtimeVersion())) {
            assertTrue(jar.isMultiRelease());
            for (JarEntry e : Collections.list(jar.entries())) {
                if (e.getName().matches("META-INF/versions/\\d+/net/.*\\.class")) {
                    unrelocated.add(e.getName());
                }
            }
            for (String c : List.of("ByteBuddy", "agent/builder/AgentBuilder$Default", "asm/Advice", "jar/asm/ClassReader")) {
                byte[] b = jar.getInputStream(jar.getJarEntry("io/lockdep4j/shaded/bytebuddy/" + c + ".class")).readAllBytes();
                int major = ((b[6] & 0xFF) << 8) | (b[7] & 0xFF);
                assertTrue(major >= 52, c + " is a class file of major version " + major);
            }
        }
        assertEquals(List.of(), unrelocated.subList(0, Math.min(5, unrelocated.size())));
    }

    @Test
    void nestedBootstrapJarHoldsTheRuntimeAndTheEvents() throws Exception {
        List<String> names = new ArrayList<>();
        try (JarFile jar = new JarFile(AGENT)) {
            JarEntry nested = jar.getJarEntry("META-INF/lockdep4j/bootstrap.jar.bin");
            assertNotNull(nested);
            byte[] bytes = jar.getInputStream(nested).readAllBytes();
            try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(bytes))) {
                for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
                    names.add(e.getName());
                }
            }
        }
        assertTrue(names.contains("io/lockdep4j/agent/bootstrap/Hooks.class"), names.toString());
        assertTrue(names.contains("io/lockdep4j/events/LockOrderEdgeEvent.class"), names.toString());
        assertTrue(names.stream().noneMatch(n -> n.contains("bytebuddy")), names.toString());
    }

    @TempDir
    Path dir;

    /**
     * An application whose class path holds the agent's own unshaded classes (a test classpath of a
     * project that builds against lockdep4j, as this module's does): premain then loads the
     * installer from there, with unshaded Byte Buddy. That once made the first HeldLocks load
     * recursive (ClassCircularityError, remembered by the JVM), and every hook failed: an empty
     * recording and a clean report.
     */
    @Test
    void agentStillRecordsWhenItsUnshadedClassesAreOnTheApplicationClassPath() throws Exception {
        String byteBuddy = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.contains("byte-buddy")).findFirst().orElse(null);
        assertNotNull(byteBuddy, "Byte Buddy on the test class path");
        String cp = String.join(File.pathSeparator, Launcher.TEST_CLASSES, Launcher.ROOT.resolve("agent/target/classes").toString(),
                Launcher.ROOT.resolve("jfr-events/target/classes").toString(), byteBuddy);
        Path rec = dir.resolve("unshaded.jfr");
        Launcher.Result run = Launcher.lockdep4j("run", "-o", rec.toString(), "--",
                Launcher.JAVA, "-cp", cp, "io.lockdep4j.tests.workloads.Scenarios", "inversion-synchronized");
        assertEquals(0, run.exitCode(), run.stderr());
        Launcher.Result analyze = Launcher.lockdep4j("analyze", rec.toString(), "--format", "json");
        JsonNode report = new ObjectMapper().readTree(analyze.stdout());
        assertEquals(0, report.path("recordings").path(0).path("statistics").path("agentFailures").asLong(),
                report.path("recordings").path(0).path("agentErrors").toString());
        assertTrue(report.path("findings").toString().contains("lock-order-cycle"), analyze.stdout());
    }
}
