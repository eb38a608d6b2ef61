package io.lockdep4j.analyzers.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 16.5: text stacks collapse what the user does not own and are never cut before their first application frame. */
class StackTextTest {
    private static String text(List<String> frames) {
        StringBuilder sb = new StringBuilder();
        StackText.append(sb, "  ", "  at ", frames);
        return sb.toString();
    }

    @Test
    void runsOfJdkReflectionAndJUnitFramesAreOneLineEachAndTheCallAndApplicationFramesStay() {
        List<String> frames = List.of(
                "sun.nio.ch.FileDispatcherImpl.force0(Native Method)",
                "sun.nio.ch.FileDispatcherImpl.force(FileDispatcherImpl.java:82)",
                "sun.nio.ch.FileChannelImpl.force(FileChannelImpl.java:468)",
                "com.acme.Store.flush(Store.java:40)",
                "java.util.ArrayList.forEach(ArrayList.java:1511)",
                "com.acme.StoreTest.flushes(StoreTest.java:12)",
                "jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
                "jdk.internal.reflect.NativeMethodAccessorImpl.invoke(NativeMethodAccessorImpl.java:77)",
                "java.lang.reflect.Method.invoke(Method.java:569)",
                "org.junit.platform.commons.util.ReflectionUtils.invokeMethod(ReflectionUtils.java:728)",
                "org.junit.jupiter.engine.execution.MethodInvocation.proceed(MethodInvocation.java:60)");
        assertEquals("""
                  at sun.nio.ch.FileDispatcherImpl.force0(Native Method)
                  ... 2 frames: JDK
                  at com.acme.Store.flush(Store.java:40)
                  at java.util.ArrayList.forEach(ArrayList.java:1511)
                  at com.acme.StoreTest.flushes(StoreTest.java:12)
                  ... 5 frames: reflection, JUnit
                """, text(frames));
    }

    @Test
    void aStackIsNeverCutBeforeItsFirstApplicationFrame() {
        // 15 JDK frames before the application's: a 12-frame cut used to fall before it
        List<String> onlyJdkThenApp = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            onlyJdkThenApp.add((i % 2 == 0 ? "java.util.A" : "jdk.internal.misc.B") + i + ".m(X.java:1)");
        }
        onlyJdkThenApp.add("com.acme.App.main(App.java:5)");
        onlyJdkThenApp.add("java.lang.Thread.run(Thread.java:833)");
        String t = text(onlyJdkThenApp);
        assertEquals("""
                  at java.util.A0.m(X.java:1)
                  ... 14 frames: JDK
                  at com.acme.App.main(App.java:5)
                  at java.lang.Thread.run(Thread.java:833)
                """, t);
    }

    @Test
    void theBudgetCutsOnlyAfterTheFirstApplicationFrame() {
        List<String> frames = new ArrayList<>();
        frames.add("java.io.FileOutputStream.close(FileOutputStream.java:1)");
        for (int i = 0; i < 40; i++) {
            frames.add("com.acme.F" + i + ".m(F" + i + ".java:1)");
        }
        String t = text(frames);
        assertEquals(StackText.LINES + 1, t.split("\n").length, t); // 12 frames, then the cut
        assertTrue(t.endsWith("  ... 29 more\n"), t);
        assertEquals("  (no stack recorded)\n", text(List.of()));
        assertEquals("  at com.acme.X.m(X.java:1)\n", text(List.of("com.acme.X.m(X.java:1)")));
        assertEquals("virtual-thread carrier", StackText.group("java.lang.VirtualThread.run(VirtualThread.java:309)"));
        assertEquals(null, StackText.group("org.eclipse.jetty.util.thread.QueuedThreadPool.runJob(QueuedThreadPool.java:1)"));
    }
}
