package io.lockdep4j.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * Runs {@link Bank} (a test class using {@code @LockOrderCheck}) with the JUnit Platform test kit,
 * in this JVM, which surefire starts with {@code -javaagent:lockdep4j-agent.jar}: the test that
 * takes the second order fails with the report, the tests that take the first order pass.
 */
class LockOrderCheckExtensionTest {

    @Test
    void theAgentIsAttachedToThisTestJvm() {
        assertNotNull(LockOrderCheckExtension.JvmRecording.agentHooks(),
                "surefire's argLine must run these tests with -javaagent:../agent/target/lockdep4j-agent.jar");
    }

    @Test
    void failsTheTestThatIntroducesAnInversionAndPassesItsTwin() {
        Events tests = testKit(Bank.class);
        tests.assertStatistics(s -> s.started(3).succeeded(2).failed(1));
        tests.assertThatEvents().haveExactly(1, event(test("transferAccountsThenLedger"), finishedSuccessfully()));
        tests.assertThatEvents().haveExactly(1, event(test("auditAccountsThenLedgerToo"), finishedSuccessfully()));
        tests.assertThatEvents().haveExactly(1, event(test("reconcileLedgerThenAccounts"), finishedWithFailure(
                instanceOf(AssertionError.class),
                message(m -> m.contains("reconcileLedgerThenAccounts() introduced 1 lock-order hazard")
                        && m.contains("possible circular locking dependency")
                        && m.contains("LockOrderCheckExtensionTest$Ledger.entriesLock")
                        && m.contains("LockOrderCheckExtensionTest$Accounts.balancesLock")))));
        String failure = tests.failed().stream().findFirst().orElseThrow().getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .orElseThrow().getThrowable().orElseThrow().getMessage();
        // the report shows where each order was taken, in this file
        assertTrue(failure.contains("LockOrderCheckExtensionTest.java:"), failure);
        assertEquals(-1, failure.indexOf("io.lockdep4j.agent."), "no agent frames in the report: " + failure);
    }

    @Test
    void theFailureMessageShowsTheTestCodeNotTheTestRunnerNorRuleStatistics() {
        Events tests = testKit(Warehouse.class);
        tests.assertStatistics(s -> s.started(1).failed(1));
        Throwable failure = tests.failed().stream().findFirst().orElseThrow()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        String m = failure.getMessage();
        assertTrue(m.startsWith("lockdep4j: restockWhileShipping() introduced 1 lock-order hazard:\n\n[WARNING] possible circular"
                + " locking dependency detected: "), m);
        assertTrue(m.contains("LockOrderCheckExtensionTest$Warehouse.stockLock") && m.contains("LockOrderCheckExtensionTest$Warehouse.ordersLock"), m);
        // the stacks end at the test method: it took both orders on JUnit's own thread, under JUnit's reflective call
        assertTrue(m.contains("LockOrderCheckExtensionTest$Warehouse.restockWhileShipping(LockOrderCheckExtensionTest.java:"), m);
        for (String runner : new String[] {"org.junit.", "jdk.internal.reflect.", "java.lang.reflect.", "org.apache.maven.surefire."}) {
            assertEquals(-1, m.indexOf(runner), "no " + runner + " frames: " + m);
        }
        // no report header, rule statistics or notes: only the findings
        for (String noise : new String[] {"rule lock-order-cycle:", "note (", "Summary:", "lockdep4j events", " more"}) {
            assertEquals(-1, m.indexOf(noise), "no '" + noise + "' in: " + m);
        }
        assertEquals(0, failure.getStackTrace().length, "the extension's own stack is JUnit's: not shown");
    }

    /** Runs a {@code @Disabled} nested test class in this JVM with the JUnit Platform test kit. */
    private static Events testKit(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.conditions.deactivate", "org.junit.*DisabledCondition")
                .selectors(selectClass(testClass))
                .execute()
                .testEvents();
    }

    static final class Accounts {
        final ReentrantLock balancesLock = new ReentrantLock();
    }

    static final class Ledger {
        final Object entriesLock = new Object();
    }

    static final Accounts ACCOUNTS = new Accounts();
    static final Ledger LEDGER = new Ledger();

    /** Runs {@code body} on its own thread, as a request handler would. */
    static void onThread(String name, Runnable body) throws InterruptedException {
        Thread t = new Thread(body, name);
        t.start();
        t.join();
    }

    static void accountsThenLedger() {
        ACCOUNTS.balancesLock.lock();
        try {
            synchronized (LEDGER.entriesLock) {
                Thread.onSpinWait();
            }
        } finally {
            ACCOUNTS.balancesLock.unlock();
        }
    }

    /** Takes both orders on the test's own thread (so every stack runs through JUnit's reflection). Run by the test kit only. */
    @Disabled("run through EngineTestKit by LockOrderCheckExtensionTest")
    @LockOrderCheck
    static class Warehouse {
        final ReentrantLock stockLock = new ReentrantLock();
        final Object ordersLock = new Object();

        @Test
        void restockWhileShipping() {
            stockLock.lock();
            try {
                synchronized (ordersLock) {
                    Thread.onSpinWait();
                }
            } finally {
                stockLock.unlock();
            }
            synchronized (ordersLock) {
                stockLock.lock();
                stockLock.unlock();
            }
        }
    }

    /** Not run by surefire (nested, disabled): only by the test kit above. */
    @Disabled("run through EngineTestKit by LockOrderCheckExtensionTest")
    @LockOrderCheck
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class Bank {
        @Test
        @Order(1)
        void transferAccountsThenLedger() throws Exception {
            onThread("transfer", LockOrderCheckExtensionTest::accountsThenLedger);
        }

        @Test
        @Order(2)
        void auditAccountsThenLedgerToo() throws Exception {
            onThread("audit", LockOrderCheckExtensionTest::accountsThenLedger); // the safe twin: same order
        }

        @Test
        @Order(3)
        void reconcileLedgerThenAccounts() throws Exception {
            onThread("reconcile", () -> {
                synchronized (LEDGER.entriesLock) {
                    ACCOUNTS.balancesLock.lock();
                    try {
                        Thread.onSpinWait();
                    } finally {
                        ACCOUNTS.balancesLock.unlock();
                    }
                }
            });
        }
    }
}
