package com.example.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Passes: nothing deadlocks, because the two orders run one after the other. lockdep4j still sees the cycle. */
class BankTest {
    @Test
    void transferThenAuditOnTwoThreads() throws Exception {
        Bank bank = new Bank();
        Thread teller = new Thread(() -> bank.transfer(5), "teller");
        teller.start();
        teller.join();
        long[] seen = new long[1];
        Thread auditor = new Thread(() -> seen[0] = bank.audit(), "auditor");
        auditor.start();
        auditor.join();
        assertEquals(6, seen[0]);
    }
}
