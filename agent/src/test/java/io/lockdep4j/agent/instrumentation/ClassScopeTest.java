package io.lockdep4j.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one test of "is this the agent's own class", for the dotted names of Class and the internal names of class files. */
class ClassScopeTest {
    @Test
    void theAgentsOwnClassesInBothSpellings() {
        for (String n : new String[] {"io.lockdep4j.agent.bootstrap.Hooks", "io/lockdep4j/agent/bootstrap/Hooks",
                "io.lockdep4j.events.LockChainEvent", "io/lockdep4j/events/LockChainEvent",
                "io.lockdep4j.shaded.net.bytebuddy.ByteBuddy", "io/lockdep4j/shaded/net/bytebuddy/ByteBuddy",
                "com.acme.Server$$Lambda$14/0x0000000800c0b448"}) {
            assertTrue(ClassScope.isAgentOwn(n), n);
        }
    }

    @Test
    void applicationClassesThatMerelyLookAlike() {
        for (String n : new String[] {"io.lockdep4j.samples.nfs.NfsServer", "io/lockdep4j/samples/nfs/NfsServer",
                "io.lockdep4j.analyzers.Cli", "io.lockdep4jx.agent.Foo", "io.lockdep4j.agentx", "io.lockdep4j",
                "io.netty.channel.Channel", "io.lockdep4j/agent.Foo", "com.acme.agent.Hooks", "io"}) {
            assertFalse(ClassScope.isAgentOwn(n), n);
        }
    }
}
