package io.lockdep4j.junit;

import io.lockdep4j.analyzers.AnalysisResult;
import io.lockdep4j.analyzers.Analyzer;
import io.lockdep4j.analyzers.read.BadRecordingException;
import io.lockdep4j.analyzers.read.NoLockdepEventsException;
import io.lockdep4j.analyzers.rules.Finding;
import io.lockdep4j.analyzers.rules.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link LockOrderCheck}; it can also be registered by itself with
 * {@code @ExtendWith} or {@code @RegisterExtension} (then it fails on warnings too).
 *
 * <p>How a finding is attributed to a test: the first checked test of a JVM starts one JFR
 * recording with the agent's {@code lockdep4j.jfc} settings, and it runs until the JVM exits.
 * After each test the recording is dumped and analyzed; findings whose key was not seen after
 * an earlier test are this test's. So the test that closes a cycle (takes the second order of
 * two locks) is the one that fails, even when the first order was taken by another test: that is
 * the point, the two orders rarely meet in one test. Once reported, a finding is not reported
 * again by later tests.
 *
 * <p>Why one recording per JVM rather than one per test: on JDK 17, a second {@code Recording}
 * in one JVM can lose strings (lock class names) that an earlier one used. Why the analysis
 * itself is not recorded: it runs inside the agent's "own work" bracket, so the locks the
 * analyzer takes never become edges.
 *
 * <p>Tests run in parallel within one JVM share the recording; a finding is then attributed to
 * the first test that finishes after it appeared.
 */
public class LockOrderCheckExtension implements BeforeEachCallback, AfterEachCallback {
    static final String HOOKS = "io.lockdep4j.agent.bootstrap.Hooks";

    @Override
    public void beforeEach(ExtensionContext context) {
        JvmRecording.get(); // starts the recording before the first checked test body runs
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        JvmRecording rec = JvmRecording.get();
        if (rec == null) {
            return;
        }
        boolean failOnWarnings = AnnotationSupport.findAnnotation(context.getElement(), LockOrderCheck.class)
                .or(() -> context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, LockOrderCheck.class)))
                .map(LockOrderCheck::failOnWarnings).orElse(true);
        AnalysisResult result;
        try {
            result = rec.newFindings();
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (result == null) {
            return;
        }
        List<Finding> failing = result.findings().stream()
                .filter(f -> f.severity() == Severity.ERROR || failOnWarnings && f.severity() == Severity.WARNING).toList();
        if (failing.isEmpty()) {
            return;
        }
        AssertionError failure = new AssertionError(FailureMessage.of(context.getDisplayName(), failing));
        // Its own stack would be this method's callers inside JUnit: the stacks that matter are in the message.
        failure.setStackTrace(new StackTraceElement[0]);
        throw failure;
    }

    /** The one recording of this JVM, and the finding keys already reported. */
    static final class JvmRecording {
        private static JvmRecording instance;
        private static boolean checked;

        private final Recording recording;
        private final Path dir;
        private final MethodHandle workBegin;
        private final MethodHandle workEnd;
        private final Set<String> reported = new HashSet<>();
        private int dumps;

        private JvmRecording(Recording recording, Path dir, MethodHandle workBegin, MethodHandle workEnd) {
            this.recording = recording;
            this.dir = dir;
            this.workBegin = workBegin;
            this.workEnd = workEnd;
        }

        /** The recording, started on first use; {@code null} when the agent is not attached to this JVM. */
        static synchronized JvmRecording get() {
            if (checked) {
                return instance;
            }
            checked = true;
            Class<?> hooks = agentHooks();
            if (hooks == null) {
                System.err.println("lockdep4j: @LockOrderCheck is inactive: the lockdep4j agent is not attached to this JVM"
                        + " (add -javaagent:lockdep4j-agent.jar to the test JVM, e.g. surefire's argLine)");
                return null;
            }
            try {
                MethodHandles.Lookup l = MethodHandles.publicLookup();
                MethodHandle begin = l.findStatic(hooks, "agentWorkBegin", MethodType.methodType(void.class));
                MethodHandle end = l.findStatic(hooks, "agentWorkEnd", MethodType.methodType(void.class));
                Recording r = newRecording();
                r.setName("lockdep4j-junit");
                r.setToDisk(true);
                Path dir = Files.createTempDirectory("lockdep4j-junit");
                r.start();
                instance = new JvmRecording(r, dir, begin, end);
                Runtime.getRuntime().addShutdownHook(new Thread(instance::cleanUp, "lockdep4j-junit-cleanup"));
                return instance;
            } catch (ReflectiveOperationException | IOException | ParseException e) {
                throw new IllegalStateException("lockdep4j: cannot start the JFR recording for @LockOrderCheck: " + e, e);
            }
        }

        /** The agent's bootstrap hooks, if the agent is attached and active. */
        static Class<?> agentHooks() {
            try {
                Class<?> hooks = Class.forName(HOOKS, false, null); // the agent puts it on the bootstrap class path
                return hooks.getField("active").getBoolean(null) ? hooks : null;
            } catch (ReflectiveOperationException | LinkageError e) {
                return null;
            }
        }

        private static Recording newRecording() throws IOException, ParseException {
            // The agent jar is on the system class path (-javaagent adds it) and carries its settings.
            try (InputStream in = ClassLoader.getSystemResourceAsStream("lockdep4j.jfc")) {
                if (in == null) {
                    return new Recording(); // custom events are enabled, with stacks, by default
                }
                return new Recording(Configuration.create(new InputStreamReader(in, StandardCharsets.UTF_8)));
            }
        }

        /** Dumps and analyzes the recording; the findings not reported before, or {@code null} if none. */
        synchronized AnalysisResult newFindings() throws Throwable {
            workBegin.invokeExact();
            try {
                Path file = dir.resolve("dump-" + (++dumps) + ".jfr");
                recording.dump(file);
                AnalysisResult all;
                try {
                    all = Analyzer.withDefaults().analyze(List.of(file));
                } catch (NoLockdepEventsException e) {
                    return null; // no nested locking yet
                } catch (BadRecordingException e) {
                    throw new IllegalStateException("lockdep4j: cannot read the test recording: " + e.getMessage(), e);
                } finally {
                    Files.deleteIfExists(file);
                }
                List<Finding> fresh = new ArrayList<>();
                for (Finding f : all.findings()) {
                    if (reported.add(f.key())) {
                        fresh.add(f);
                    }
                }
                return fresh.isEmpty() ? null : new AnalysisResult(all.model(), all.options(), fresh, all.rules(), all.warnings());
            } finally {
                workEnd.invokeExact();
            }
        }

        private void cleanUp() {
            try {
                recording.close();
                Files.deleteIfExists(dir);
            } catch (Exception ignored) {
                // best effort at JVM exit
            }
        }
    }
}
