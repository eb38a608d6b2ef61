package com.example.bank;

import io.lockdep4j.junit.LockOrderCheck;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The first test takes accounts then ledger and passes; the second closes the cycle and fails. */
@LockOrderCheck
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CheckedBankTest {
    static final Bank BANK = new Bank();

    @Test
    @Order(1)
    void transfer() {
        BANK.transfer(5);
    }

    @Test
    @Order(2)
    void audit() {
        BANK.audit();
    }
}
