package io.lockdep4j.analyzers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockdep4j.analyzers.model.Frames;
import io.lockdep4j.analyzers.model.HeldLock;
import io.lockdep4j.analyzers.rules.Finding;
import io.lockdep4j.analyzers.rules.LockOrderCycleRule;
import io.lockdep4j.analyzers.rules.Rule;
import io.lockdep4j.analyzers.rules.Rules;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnitTest {
    @Test
    void otherHeldParsing() {
        assertEquals(List.of(), HeldLock.parseAll(""));
        assertEquals(List.of(new HeldLock("a.B.lock", "write", 42), new HeldLock("c.D", "read", -7)),
                HeldLock.parseAll("a.B.lock(write)#42;c.D(read)#-7"));
        // Class names with ';' and '(' (arrays, allocation sites) still split at entry boundaries.
        assertEquals(List.of(new HeldLock("[Ljava.lang.Object;", "write", 1), new HeldLock("new Foo(Foo.java:3)", "read", 2)),
                HeldLock.parseAll("[Ljava.lang.Object;(write)#1;new Foo(Foo.java:3)(read)#2"));
    }

    @Test
    void findingKeyIsRuleAndSortedLocks() {
        assertEquals("lock-order-cycle:a+b+c", Finding.keyOf("lock-order-cycle", List.of("c", "a", "b")));
    }

    @Test
    void rulesAreLoadedFromServices() {
        List<Rule> rules = Rules.load();
        assertTrue(rules.stream().anyMatch(r -> r instanceof LockOrderCycleRule), rules.toString());
        assertEquals(LockOrderCycleRule.ID, new LockOrderCycleRule().id());
    }

    @Test
    void platformFramesAreNotTheSite() {
        assertEquals("com.acme.X.y(X.java:3)",
                Frames.site(List.of("java.util.Hashtable.put(Hashtable.java:1)", "com.acme.X.y(X.java:3)")));
        assertTrue(Frames.isPlatformFrame("jdk.internal.misc.Unsafe.park(Unsafe.java)"));
    }
}
