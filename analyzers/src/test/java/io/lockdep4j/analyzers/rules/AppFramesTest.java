package io.lockdep4j.analyzers.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 16.5: which frame a title names: the user's code, not the storage engine that called force. */
class AppFramesTest {
    static final List<String> DERBY = List.of(
            "sun.nio.ch.FileDispatcherImpl.force0(Native Method)",
            "sun.nio.ch.FileChannelImpl.force(FileChannelImpl.java:468)",
            "org.apache.derby.impl.store.raw.data.RAFContainer.force(RAFContainer.java:410)",
            "org.apache.derby.impl.store.raw.log.LogToFile.flush(LogToFile.java:3980)",
            "org.apache.derby.impl.jdbc.EmbedConnection.commit(EmbedConnection.java:1900)",
            "com.acme.Store.commit(Store.java:40)",
            "com.acme.Checkout.pay(Checkout.java:12)",
            "java.lang.Thread.run(Thread.java:833)");

    @Test
    void withoutIncludesTheFirstFrameOutsideTheJdkAndTheEngineIsNamed() {
        assertEquals("com.acme.Store.commit(Store.java:40)", AppFrames.DEFAULT.frame(DERBY));
    }

    @Test
    void anIncludePrefixWinsOverTheLibraryRule() {
        assertEquals("com.acme.Checkout.pay(Checkout.java:12)", AppFrames.including(List.of("org.example.", "com.acme.Checkout")).frame(DERBY));
    }

    @Test
    void anIncludeThatMatchesNothingFallsBackToTheLibraryRule() {
        assertEquals("com.acme.Store.commit(Store.java:40)", AppFrames.including(List.of("org.example.")).frame(DERBY));
    }

    @Test
    void aLibraryIsItsFirstTwoPackageSegmentsOrThreeUnderASharedUmbrella() {
        assertEquals("org.h2", AppFrames.root("org.h2.mvstore.FileStore.sync(FileStore.java:1)"));
        assertEquals("org.apache.derby", AppFrames.root(DERBY.get(2)));
        // under org.apache, Kafka calling commons-io is two libraries
        List<String> kafka = List.of("org.apache.commons.io.FileUtils.forceSync(FileUtils.java:9)",
                "org.apache.kafka.log.Segment.flush(Segment.java:3)");
        assertEquals(kafka.get(1), AppFrames.DEFAULT.frame(kafka));
    }

    @Test
    void whenTheUsersOwnCodeMadeTheCallItIsNamedNotItsCallers() {
        List<String> own = List.of("sun.nio.ch.FileChannelImpl.force(FileChannelImpl.java:468)",
                "com.acme.Store.flush(Store.java:40)", "com.acme.Store.commit(Store.java:50)",
                "jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
                "org.junit.jupiter.engine.execution.MethodInvocation.proceed(MethodInvocation.java:60)");
        // JUnit is not the user's code either: skipped like the JDK, so the site stays
        assertEquals("com.acme.Store.flush(Store.java:40)", AppFrames.DEFAULT.frame(own));
        assertEquals("?", AppFrames.DEFAULT.frame(List.of()));
    }

    @Test
    void aPrefixThatIsNoClassNamePrefixIsAOneLineError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AppFrames.including(List.of("com.acme.", "com acme")));
        assertEquals("--include: 'com acme' is not a package or class name prefix (e.g. com.acme.)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AppFrames.including(List.of("")));
        assertTrue(AppFrames.including(List.of("com.acme.Store$Inner")).includes().contains("com.acme.Store$Inner"));
    }
}
